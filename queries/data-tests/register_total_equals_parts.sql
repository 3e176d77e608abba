-- grain: one row per task whose approved Tổng differs from NSTW + NSĐP + Ngoài NSNN + Nước ngoài
-- (± 0,001 triệu), or that is marked unsplit and yet has parts
-- severity: error
-- vi: Tổng kinh phí phê duyệt khác tổng các nguồn
-- en: Approved total differs from the sum of its sources
with sums as (
  select
    province_code,
    task_code,
    sum(amount_trieu_dong) filter (where source_code = 'TONG') as total_trieu_dong,
    sum(amount_trieu_dong) filter (where source_code <> 'TONG') as parts_trieu_dong,
    count(*) filter (where source_code <> 'TONG') as part_count
  from stg_fact_task_approved
  group by province_code, task_code
)

select
  t.task_code,
  t.file_id,
  t.sheet,
  t.cell,
  t.task_code || ': Tổng ' || coalesce(cast(s.total_trieu_dong as varchar), '(none)')
    || ' / parts ' || coalesce(cast(s.parts_trieu_dong as varchar), '(none)')
    || case when t.is_unsplit then ' (unsplit)' else '' end as detail
from stg_task as t
join sums as s on s.province_code = t.province_code and s.task_code = t.task_code
where (t.is_unsplit and s.part_count > 0)
   or (
     not t.is_unsplit
     and abs(coalesce(s.total_trieu_dong, 0) - coalesce(s.parts_trieu_dong, 0)) > 0.001
   )

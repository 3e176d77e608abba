-- grain: one row per task × year × measure × source. Besides the measures as loaded, the
-- measure 'du_toan_or_de_xuat' carries the plan-year figure of each task × year × source: the
-- du_toan where given, else the de_xuat (the appendices treat them as the same figure).
with funding as (
  select * from stg_fact_task_funding
),

plan_figure as (
  select f.* replace ('du_toan_or_de_xuat' as measure_code)
  from funding as f
  where f.measure_code = 'du_toan'
     or (
       f.measure_code = 'de_xuat'
       and not exists (
         select 1
         from funding as d
         where d.measure_code = 'du_toan'
           and d.province_code = f.province_code
           and d.task_code = f.task_code
           and d.year = f.year
           and d.source_code = f.source_code
       )
     )
),

unioned as (
  select * from funding
  union all
  select * from plan_figure
)

select
  u.fact_id,
  u.province_code,
  u.task_code,
  u.year,
  u.measure_code,
  u.source_code,
  coalesce(s.is_state_budget, false) as is_state_budget,
  u.amount_trieu_dong,
  t.level_code,
  t.budget_line_code,
  u.run_id,
  u.file_id,
  u.file_hash,
  u.sheet,
  u.cell
from unioned as u
left join stg_funding_source as s on s.source_code = u.source_code
left join dim_task as t on t.province_code = u.province_code and t.task_code = u.task_code

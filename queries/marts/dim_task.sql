-- grain: one row per task (province × task code), with its level's budget line (09–13), its
-- approved funding by source and by state-budget / other, and year helpers for "active in year Y"
-- (start_year <= Y and end_year >= Y) and "accepted in year Y" (accepted_year = Y).
with approved as (
  select
    province_code,
    task_code,
    sum(amount_trieu_dong) filter (where source_code = 'TONG') as approved_total_trieu_dong,
    sum(amount_trieu_dong) filter (where source_code = 'NSTW') as approved_nstw_trieu_dong,
    sum(amount_trieu_dong) filter (where source_code = 'NSDP') as approved_nsdp_trieu_dong,
    sum(amount_trieu_dong) filter (where source_code = 'NGOAI_NSNN') as approved_ngoai_nsnn_trieu_dong,
    sum(amount_trieu_dong) filter (where source_code = 'NUOC_NGOAI') as approved_nuoc_ngoai_trieu_dong,
    -- a part group is blank when none of its sources is given (unsplit tasks: all blank)
    sum(amount_trieu_dong) filter (where source_code in ('NSTW', 'NSDP')) as approved_nsnn_trieu_dong,
    sum(amount_trieu_dong) filter (where source_code in ('NGOAI_NSNN', 'NUOC_NGOAI')) as approved_other_trieu_dong
  from stg_fact_task_approved
  group by province_code, task_code
)

select
  t.province_code,
  t.task_code,
  t.title,
  t.level_code,
  l.level_name_vi,
  l.level_sort,
  l.budget_line_code,
  t.level_code in ('QUOC_GIA', 'BO') as is_national_or_ministry,
  t.field_code,
  f.field_name_vi,
  f.field_sort,
  t.lead_org,
  t.pi_name,
  t.pi_gender,
  coalesce(t.pi_gender = 'NU', false) as is_pi_woman,
  t.decision,
  t.start_month,
  t.end_month,
  year(t.start_month) as start_year,
  year(t.end_month) as end_year,
  strftime(t.start_month, '%m/%Y') || '-' || strftime(t.end_month, '%m/%Y') as period_label,
  t.status_code,
  t.accepted_on,
  -- the acceptance date where given; an accepted task without one counts in its end year
  case
    when t.accepted_on is not null then year(t.accepted_on)
    when t.status_code in ('DA_NGHIEM_THU', 'DA_UNG_DUNG') then year(t.end_month)
  end as accepted_year,
  t.status_code = 'DA_UNG_DUNG' as is_applied,
  t.is_unsplit,
  a.approved_total_trieu_dong,
  a.approved_nstw_trieu_dong,
  a.approved_nsdp_trieu_dong,
  a.approved_ngoai_nsnn_trieu_dong,
  a.approved_nuoc_ngoai_trieu_dong,
  a.approved_nsnn_trieu_dong,
  a.approved_other_trieu_dong,
  t.sheet_sort,
  t.run_id,
  t.file_id,
  t.file_hash,
  t.sheet,
  t.cell
from stg_task as t
left join stg_task_level as l on l.level_code = t.level_code
left join stg_task_field as f on f.field_code = t.field_code
left join approved as a on a.province_code = t.province_code and a.task_code = t.task_code

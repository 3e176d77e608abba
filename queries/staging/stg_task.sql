-- grain: one row per task (province × task code)
select
  province_code,
  task_code,
  title,
  level_code,
  field_code,
  lead_org,
  pi_name,
  pi_gender,
  decision,
  cast(start_month as date) as start_month,
  cast(end_month as date) as end_month,
  status_code,
  cast(accepted_on as date) as accepted_on,
  unsplit as is_unsplit,
  sort as sheet_sort,
  run_id,
  file_id,
  file_hash,
  sheet,
  cell
from task

-- grain: one row per task × approved-funding source (TONG always, parts as given)
select
  fact_id,
  province_code,
  task_code,
  source_code,
  cast(amount as decimal(38,6)) as amount_trieu_dong,
  run_id,
  file_id,
  file_hash,
  sheet,
  cell,
  coalesce(origin_unit, '') as origin_unit
from fact_task_approved

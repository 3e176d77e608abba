-- grain: one row per task × year × measure × source
select
  fact_id,
  province_code,
  task_code,
  year,
  measure_code,
  source_code,
  cast(amount as decimal(38,6)) as amount_trieu_dong,
  run_id,
  file_id,
  file_hash,
  sheet,
  cell,
  coalesce(origin_unit, '') as origin_unit
from fact_task_funding

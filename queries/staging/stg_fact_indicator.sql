-- grain: one row per indicator × year × measure (value in the indicator's own unit)
select
  fact_id,
  province_code,
  indicator_key,
  year,
  measure_code,
  cast(value as decimal(38,6)) as value,
  run_id,
  file_id,
  file_hash,
  sheet,
  cell,
  coalesce(origin_unit, '') as origin_unit
from fact_indicator

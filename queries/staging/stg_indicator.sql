-- grain: one row per indicator (province × indicator key)
select
  province_code,
  indicator_key,
  indicator_code,
  area_code,
  label as indicator_label,
  unit,
  parent_key as parent_indicator_key,
  sort as sheet_sort,
  run_id,
  file_id,
  file_hash,
  sheet,
  cell
from indicator

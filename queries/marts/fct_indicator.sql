-- grain: one row per indicator × year × measure (value in the indicator's own unit)
select
  f.fact_id,
  f.province_code,
  f.indicator_key,
  d.area_code,
  f.year,
  f.measure_code,
  f.value,
  f.run_id,
  f.file_id,
  f.file_hash,
  f.sheet,
  f.cell
from stg_fact_indicator as f
left join dim_indicator as d
  on d.province_code = f.province_code and d.indicator_key = f.indicator_key

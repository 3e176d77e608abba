-- grain: one row per measure
select
  measure_code,
  name_vi as measure_name_vi
from measure

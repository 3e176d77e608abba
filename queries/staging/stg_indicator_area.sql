-- grain: one row per indicator area
select
  area_code,
  name_vi as area_name_vi,
  sort as area_sort
from indicator_area

-- grain: one row per indicator (province × indicator key), with its area and its place in the
-- PL06 order: by area, then by its top-level indicator, "of which" rows after their parent.
select
  i.province_code,
  i.indicator_key,
  i.indicator_code,
  i.area_code,
  a.area_name_vi,
  a.area_sort,
  i.indicator_label,
  i.unit,
  i.parent_indicator_key,
  coalesce(i.parent_indicator_key, i.indicator_key) as root_indicator_key,
  coalesce(p.sheet_sort, i.sheet_sort) as root_sheet_sort,
  i.parent_indicator_key is not null as is_of_which,
  i.sheet_sort,
  i.run_id,
  i.file_id,
  i.file_hash,
  i.sheet,
  i.cell
from stg_indicator as i
left join stg_indicator_area as a on a.area_code = i.area_code
left join stg_indicator as p
  on p.province_code = i.province_code and p.indicator_key = i.parent_indicator_key

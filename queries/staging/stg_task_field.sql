-- grain: one row per task field (lĩnh vực)
select
  field_code,
  name_vi as field_name_vi,
  sort as field_sort
from task_field

-- grain: one row per task level (cấp quản lý)
select
  level_code,
  name_vi as level_name_vi,
  budget_line_code,
  sort as level_sort,
  valid_from as level_valid_from,
  valid_to as level_valid_to
from task_level

-- grain: one row per task level (cấp quản lý)
select
  level_code,
  name_vi as level_name_vi,
  budget_line_code,
  sort as level_sort
from task_level

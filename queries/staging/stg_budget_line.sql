-- grain: one row per line of the 01–18 S&T spending hierarchy
select
  line_code,
  parent_code as parent_line_code,
  label_vi as line_label_vi,
  depth as line_depth,
  is_sum,
  sort as line_sort
from budget_line

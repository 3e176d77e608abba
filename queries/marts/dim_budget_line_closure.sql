-- grain: one row per (ancestor line, descendant line) pair of the hierarchy, self included
with recursive closure (ancestor_code, descendant_code, distance) as (
  select line_code, line_code, 0
  from stg_budget_line
  union all
  select c.ancestor_code, b.line_code, c.distance + 1
  from closure as c
  join stg_budget_line as b on b.parent_line_code = c.descendant_code
)

select ancestor_code, descendant_code, distance
from closure

-- grain: one row per line of the 01–18 hierarchy, with its kind in the forms
-- (total: 01; group: the other "=" rows; data: leaves)
select
  line_code,
  parent_line_code,
  line_label_vi,
  line_depth,
  is_sum,
  line_sort,
  case
    when parent_line_code is null then 'total'
    when is_sum then 'group'
    else 'data'
  end as row_kind
from stg_budget_line

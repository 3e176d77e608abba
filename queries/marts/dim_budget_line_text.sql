-- grain: two rows per line of the 01–18 hierarchy: its label and its Mã số, in the long shape of
-- a form's figures.sql (row_key, kind, sort, parent_key, column_id, amount, text, fact_ids).
-- The text columns every form over the hierarchy shows (PL01, PL02): one home, not one per form.
select
  line_code as row_key, row_kind as kind, line_sort as sort, parent_line_code as parent_key,
  'label' as column_id, null as amount, line_label_vi as text, null as fact_ids
from dim_budget_line

union all

select line_code, row_kind, line_sort, parent_line_code, 'ma_so', null, line_code, null
from dim_budget_line

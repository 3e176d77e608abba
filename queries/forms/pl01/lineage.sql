-- grain: one row per PL01 cell × fact behind it (a sum row lists the facts of its leaves;
-- a ratio lists the facts of both its figures)
with params as (
  select cast($year as integer) as year_n
),

columns_measures (column_id, year_offset, measure_code) as (
  values
    ('c1', 2, 'du_toan'),
    ('c2', 2, 'thuc_hien'),
    ('c3', 1, 'du_toan'),
    ('c4', 1, 'thuc_hien_6t'),
    ('c5', 1, 'thuc_hien_6t'),
    ('c5', 1, 'du_toan'),
    ('c6', 1, 'uoc_thuc_hien'),
    ('c7', 1, 'uoc_thuc_hien'),
    ('c7', 1, 'du_toan')
)

select distinct
  b.line_code as row_key,
  m.column_id,
  b.fact_id
from fct_budget_line_contribution as b
cross join params as p
join columns_measures as m
  on b.year = p.year_n - m.year_offset and b.measure_code = m.measure_code
where b.is_state_budget

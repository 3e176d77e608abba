-- grain: one row per PL06 cell × fact behind it (the ratio lists the facts of both its figures)
with params as (
  select cast($year as integer) as year_n
),

columns_measures (column_id, year_offset, measure_code) as (
  values
    ('c1', 2, 'thuc_hien'),
    ('c2', 1, 'ke_hoach'),
    ('c3', 1, 'thuc_hien_6t'),
    ('c4', 1, 'thuc_hien_6t'),
    ('c4', 1, 'ke_hoach'),
    ('c5', 0, 'ke_hoach')
)

select distinct
  'ind:' || f.indicator_key as row_key,
  m.column_id,
  f.fact_id
from fct_indicator as f
cross join params as p
join columns_measures as m on f.year = p.year_n - m.year_offset and f.measure_code = m.measure_code

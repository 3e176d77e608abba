-- grain: one row per line of the 01–18 hierarchy. PL01: execution of the S&T state budget in
-- N-2, the first half of N-1 and the expected outturn of N-1, NSTW and NSĐP together.
with params as (
  select cast($year as integer) as year_n
),

state_budget as (
  select
    b.line_code,
    sum(b.amount_trieu_dong) filter (where b.year = p.year_n - 2 and b.measure_code = 'du_toan') as du_toan_n2,
    sum(b.amount_trieu_dong) filter (where b.year = p.year_n - 2 and b.measure_code = 'thuc_hien') as thuc_hien_n2,
    sum(b.amount_trieu_dong) filter (where b.year = p.year_n - 1 and b.measure_code = 'du_toan') as du_toan_n1,
    sum(b.amount_trieu_dong) filter (where b.year = p.year_n - 1 and b.measure_code = 'thuc_hien_6t') as thuc_hien_6t_n1,
    sum(b.amount_trieu_dong) filter (where b.year = p.year_n - 1 and b.measure_code = 'uoc_thuc_hien') as uoc_thuc_hien_n1
  from fct_budget_line as b
  cross join params as p
  where b.is_state_budget
  group by b.line_code
)

select
  l.line_code as row_key,
  l.row_kind as kind,
  l.line_sort as sort,
  l.parent_line_code as parent_key,
  l.line_label_vi as label,
  l.line_code as ma_so,
  s.du_toan_n2 as c1,
  s.thuc_hien_n2 as c2,
  s.du_toan_n1 as c3,
  s.thuc_hien_6t_n1 as c4,
  case when s.du_toan_n1 <> 0 then cast(round(s.thuc_hien_6t_n1 * 100 / s.du_toan_n1, 1) as decimal(18,1)) end as c5,
  s.uoc_thuc_hien_n1 as c6,
  case when s.du_toan_n1 <> 0 then cast(round(s.uoc_thuc_hien_n1 * 100 / s.du_toan_n1, 1) as decimal(18,1)) end as c7,
  cast(null as varchar) as note
from dim_budget_line as l
left join state_budget as s on s.line_code = l.line_code
order by l.line_sort

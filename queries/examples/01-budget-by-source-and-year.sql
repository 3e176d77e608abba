-- Budget by funding source and year (triệu đồng): assigned (du_toan) or proposed (de_xuat),
-- leaf lines of the 01–18 hierarchy only, so nothing is counted twice.
select f.year,
       s.name_vi as nguon,
       sum(f.amount) as trieu_dong
  from fact_budget_line f
  join budget_line b using (line_code)
  join funding_source s using (source_code)
 where not b.is_sum
   and f.measure_code in ('du_toan', 'de_xuat')
 group by f.year, s.name_vi, s.sort
 order by f.year, s.sort;

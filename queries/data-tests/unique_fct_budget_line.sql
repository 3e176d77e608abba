-- grain: one row per duplicated key of fct_budget_line (province × line × year × measure × source)
-- severity: error
-- vi: Khóa trùng trong fct_budget_line
-- en: Duplicate key in fct_budget_line
select
  province_code,
  line_code,
  year,
  measure_code,
  source_code,
  line_code || ' ' || measure_code || ' ' || year || ' ' || source_code || ': ' || count(*) || ' rows' as detail
from fct_budget_line
group by province_code, line_code, year, measure_code, source_code
having count(*) > 1

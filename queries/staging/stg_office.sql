-- grain: one row per office (inbox subfolder, or 'chung')
select
  office_code,
  name as office_name
from office

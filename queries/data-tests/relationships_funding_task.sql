-- grain: one row per task fact (funding or approved) whose task code is in no register
-- (an anti join: the same rows as a left join kept where no task matched, without the join's rows)
-- severity: error
-- vi: Kinh phí của một mã nhiệm vụ không có trong danh mục nhiệm vụ
-- en: Funding for a task code that no task register holds
select f.file_id, f.sheet, f.cell, f.task_code || ' (fact_task_funding)' as detail
from stg_fact_task_funding as f
anti join stg_task as t on t.province_code = f.province_code and t.task_code = f.task_code

union all

select a.file_id, a.sheet, a.cell, a.task_code || ' (fact_task_approved)'
from stg_fact_task_approved as a
anti join stg_task as t on t.province_code = a.province_code and t.task_code = a.task_code

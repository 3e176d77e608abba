-- Phụ lục 02 as the fill writes it: the table macro every load installs.
select * from pl02($year::integer);

select
    order_date,
    count(*) as orders,
    sum(gross_amount) as gross_revenue,
    sum(net_amount) as net_revenue
from {{ ref('fct_orders') }}
group by order_date

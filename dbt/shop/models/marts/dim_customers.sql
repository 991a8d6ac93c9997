select
    customer_id,
    first_name,
    last_name,
    country,
    first_order_date,
    most_recent_order_date,
    number_of_orders,
    lifetime_value,
    case
        when number_of_orders >= 2 then 'repeat'
        when number_of_orders = 1 then 'one_time'
        else 'prospect'
    end as customer_segment
from {{ ref('int_customer_orders') }}

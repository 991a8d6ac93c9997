with customers as (
    select * from {{ ref('stg_customers') }}
),

orders as (
    select * from {{ ref('stg_orders') }}
),

order_totals as (
    select order_id, sum(amount) as amount
    from {{ ref('stg_payments') }}
    group by order_id
)

select
    customers.customer_id,
    customers.first_name,
    customers.last_name,
    customers.country,
    min(orders.order_date) as first_order_date,
    max(orders.order_date) as most_recent_order_date,
    count(orders.order_id) as number_of_orders,
    coalesce(sum(order_totals.amount), 0) as lifetime_value
from customers
left join orders on orders.customer_id = customers.customer_id
left join order_totals on order_totals.order_id = orders.order_id
group by 1, 2, 3, 4

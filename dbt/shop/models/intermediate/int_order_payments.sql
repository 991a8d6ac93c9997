with orders as (
    select * from {{ ref('stg_orders') }}
),

paid as (
    select order_id, sum(amount) as gross_amount, count(*) as payment_count
    from {{ ref('stg_payments') }}
    group by order_id
),

refunded as (
    select order_id, sum(refund_amount) as refunded_amount
    from {{ ref('stg_refunds') }}
    group by order_id
)

select
    orders.order_id,
    orders.customer_id,
    orders.order_date,
    orders.status,
    coalesce(paid.payment_count, 0) as payment_count,
    coalesce(paid.gross_amount, 0) as gross_amount,
    coalesce(refunded.refunded_amount, 0) as refunded_amount,
    coalesce(paid.gross_amount, 0) - coalesce(refunded.refunded_amount, 0) as net_amount
from orders
left join paid on paid.order_id = orders.order_id
left join refunded on refunded.order_id = orders.order_id

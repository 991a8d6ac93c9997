-- Refunds can never exceed what was paid for an order.
select order_id, net_amount
from {{ ref('fct_orders') }}
where net_amount < 0

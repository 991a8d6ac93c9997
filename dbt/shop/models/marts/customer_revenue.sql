select
    customer_id,
    cast(country as text) as country,
    number_of_orders as order_count,
    cast(lifetime_value as decimal(18, 2)) as lifetime_value
from {{ ref('int_customer_orders') }}

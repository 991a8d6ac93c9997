select
    cast(started_at as date) as session_date,
    channel,
    count(*) as sessions,
    count(customer_id) as identified_sessions,
    sum(page_views) as page_views
from {{ ref('stg_sessions') }}
group by 1, 2

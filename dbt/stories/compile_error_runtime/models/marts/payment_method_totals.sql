{#- Pivot payments by method; the list of methods is read from the warehouse at run time. -#}
{%- set methods_query -%}
    select distinct payment_method from {{ ref('stg_payments') }} order by 1
{%- endset -%}

{%- set results = run_query(methods_query) -%}
{%- if execute -%}
    {%- set methods = results.columns['method'].values() -%}
{%- else -%}
    {%- set methods = [] -%}
{%- endif %}

select
    order_id,
    {%- for method in methods %}
    sum(case when payment_method = '{{ method }}' then amount else 0 end) as {{ method }}_amount,
    {%- endfor %}
    sum(amount) as total_amount
from {{ ref('stg_payments') }}
group by order_id

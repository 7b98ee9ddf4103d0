-- retention in plain SQL: a user's cohort is the UTC day of min(t); retained on day K = active on cohort + K.
WITH cohorts AS (
    SELECT user_id, (min(t) AT TIME ZONE 'UTC')::date AS cohort_day FROM oracle.behavior GROUP BY 1
), active AS (
    SELECT DISTINCT user_id, (t AT TIME ZONE 'UTC')::date AS day FROM oracle.behavior
), users AS (
    SELECT c.cohort_day, c.user_id,
           bool_or(a.day = c.cohort_day + 1) AS d1, bool_or(a.day = c.cohort_day + 7) AS d7,
           bool_or(a.day = c.cohort_day + 30) AS d30
    FROM cohorts c JOIN active a USING (user_id)
    GROUP BY 1, 2
)
SELECT to_char(cohort_day, 'YYYY-MM-DD'), count(*),
       count(*) FILTER (WHERE d1), count(*) FILTER (WHERE d7), count(*) FILTER (WHERE d30),
       trim_scale(round((count(*) FILTER (WHERE d1))::numeric / count(*), 4)),
       trim_scale(round((count(*) FILTER (WHERE d7))::numeric / count(*), 4)),
       trim_scale(round((count(*) FILTER (WHERE d30))::numeric / count(*), 4))
FROM users
GROUP BY cohort_day
ORDER BY 1;

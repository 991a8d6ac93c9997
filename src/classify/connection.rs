//! `connection`: dbt could not connect or authenticate, or the profile/target/env vars are wrong.
//!
//! # What it looks like
//! `Runtime Error`
//! `  Could not find profile named 'shpo'`
//! `connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  password authentication failed for user "dbt"`
//!
//! # Why dbt fails
//! Before any SQL runs dbt reads `profiles.yml`, resolves `env_var()` calls and opens a
//! connection; any failure there stops the whole invocation, usually before run_results.json is
//! written (the old one stays in `target/`).
//!
//! # What to do
//! Run `dbt debug` (with the same `--target` and `--profiles-dir`) to see which step fails; fix
//! the profile name in `dbt_project.yml` or the target in `profiles.yml`; set the env var in the
//! job; rotate the credentials. Jobs should use a service account and `env_var()`, not a person's
//! credentials.

use super::{Adapter, Rule};

pub(super) const RULES: &[Rule] = &[
    // dbt Cloud CLI's credentials file; a profile whose `path` and `database` disagree
    // (dbt-duckdb); a connection that dropped under the driver (redshift_connector, HTTP).
    Rule::any(
        r"dbt_cloud\.yml[^\n]*|Inconsistency detected between 'path' and 'database' fields[^\n]*|unpack_from requires a buffer of at least[^\n]*|\b\d{3} Socket closed",
    ),
    // The driver's library (an ADBC or ODBC driver) could not be loaded.
    Rule::any(r"Error with dynamic library[^\n]*|LoadLibrary(?:ExW)? failed[^\n]*"),
    // MotherDuck opened in a mode the client does not allow; an S3 location missing from the
    // profile (Athena's staging dir) rendered as an empty bucket name.
    Rule::any(r"Cannot open 'md:[^']*'[^\n]*"),
    Rule::any(r#"Invalid bucket name ""[^\n]*"#),
    // The HTTP client gave up on the endpoint (a SQL warehouse answering 503, a proxy).
    Rule::any(r"Max retries exceeded with url[^\n]*"),
    // Connected to a standby (read-only) server, or a session forced read-only: the target, not
    // a privilege.
    Rule::any(r"cannot execute \w+ in a read-only transaction"),
    // A DuckDB extension that must reach its service to start (MotherDuck) could not.
    Rule::any(r#"IO Error: Failed to download "[^"]*""#),
    // dbt Fusion's form of "Env var required but not provided".
    Rule::any(r"environment variable '(?P<env_var>[^']+)' not found"),
    Rule::any(r"Could not read [^\n]*profiles\.yml[^\n]*"),
    // The compute the profile names is not there to run on.
    Rule::any(r"Cluster [^\n]*(?:restart|start(?:up)?) timed out[^\n]*"),
    Rule::any(r"[^\n]*\bclient[ _]secret\b[^\n]*"),
    // DuckDB's ATTACH of a database file or catalog the profile configures.
    Rule::any(r"Failed to attach [^\n]*|Cannot attach [^\n]*already attached[^\n]*"),
    Rule::any(r"Could not find profile named '(?P<profile>[^']+)'"),
    Rule::any(r"The profile '(?P<profile>[^']+)' does not have a target named '(?P<target>[^']+)'"),
    Rule::any(r"does not have a target named '(?P<target>[^']+)'"),
    Rule::any(r"Env var required but not provided: '(?P<env_var>[^']+)'"),
    Rule::any(r"Runtime Error\s+Credentials in profile[^\n]*"),
    Rule::any(r#"password authentication failed for user "?(?P<user>[^"\s]+)"?"#),
    Rule::any(r"Incorrect username or password was specified"),
    Rule::any(r"Login failed for user '(?P<user>[^']+)'"),
    Rule::any(
        r"Failed to authenticate[^\n]*|Authentication failed[^\n]*|AuthenticationError[^\n]*",
    ),
    Rule::any(
        r"(?:Invalid|expired) OAuth access token|OAuth access token (?:expired|is invalid)|Authentication token has expired|JWT token is invalid|invalid_grant[^\n]*|Reauthentication is needed[^\n]*|refresh token[^\n]*expired",
    ),
    Rule::any(
        r"Could not automatically determine credentials[^\n]*|DefaultCredentialsError[^\n]*|Unable to (?:locate|find) credentials[^\n]*",
    ),
    Rule::any(r"no pg_hba\.conf entry[^\n]*"),
    Rule::any(r#"FATAL:\s+role "(?P<role>[^"]+)" does not exist"#),
    Rule::any(r#"FATAL:\s+database "(?P<object>[^"]+)" does not exist"#),
    Rule::any(
        r"(?:could not|couldn't|Failed to|Unable to) connect[^\n]*|connection to server[^\n]*failed[^\n]*|Connection refused[^\n]*|could not translate host name[^\n]*|Name or service not known|Connection reset by peer|connection was forcibly closed by the remote host|ECONNRESET|SSL SYSCALL error[^\n]*|server closed the connection unexpectedly",
    ),
    Rule::any(r"IP(?: address)? [^\n]* is not allowed to access[^\n]*"),
    Rule::any(r"No active warehouse selected in the current session[^\n]*"),
    Rule::any(r"Could not find adapter type (?P<object>\w+)[^\n]*"),
    Rule::any(
        r"Invalid (?:connection|credentials|profile)[^\n]*|Credentials[^\n]*(?:missing|invalid)|Missing credentials[^\n]*",
    ),
    Rule::any(
        r"User (?:temporarily )?locked[^\n]*|account (?:is )?(?:locked|disabled)[^\n]*|Your user account has been temporarily locked",
    ),
    Rule::any(r"Profile loading failed[^\n]*|Runtime Error\s+Could not find profile"),
    Rule::any(r"no profile was specified for this dbt project[^\n]*"),
    Rule::on(
        &[Adapter::DuckDb],
        r"Could not set lock on file[^\n]*Operation not supported[^\n]*",
    ),
    Rule::on(
        &[Adapter::Databricks],
        r"Invalid access token[^\n]*|PERMISSION_DENIED: Invalid access token|401 Unauthorized|Error during request to server[^\n]*",
    ),
    // Credentials that could not be read or used: keys, tokens, cloud identities.
    Rule::any(
        r"Could not deserialize key data[^\n]*|jwt_private_key[^\n]*|private[_ ]key[^\n]*(?:invalid|could not|failed|not configured)[^\n]*|Incorrect padding|Auth(?:entication)? method [^\n]*(?:missing|unsupported|not supported)[^\n]*|Unsupported authentication method[^\n]*|Unable to generate access token[^\n]*|credentials do not contain the necessary fields[^\n]*|EnvironmentCredential authentication unavailable[^\n]*|DefaultAzureCredential failed[^\n]*|invalid_grant[^\n]*|invalid_client[^\n]*|GetClusterCredentials[^\n]*|AuthenticationFailed[^\n]*|Authentication failed[^\n]*|Invalid (?:OAuth )?access token[^\n]*|token (?:has )?expired[^\n]*",
    ),
    // Drivers, networks, endpoints: dbt never reached the warehouse.
    Rule::any(
        r"Data source name not found and no default driver specified[^\n]*|Can't open lib[^\n]*|Cannot locate a 64-bit Oracle Client library[^\n]*|SSLError[^\n]*|SSL: [A-Z_]+[^\n]*|certificate verify failed[^\n]*|context deadline exceeded|Error starting terminated cluster[^\n]*|Cluster [^\n]* is in unexpected state[^\n]*|Request Timeout for url[^\n]*|Name or service not known|nodename nor servname provided|Temporary failure in name resolution|Connection refused|could not connect to server[^\n]*|Could not connect to[^\n]*|Failed to connect[^\n]*|Connection (?:timed out|reset)[^\n]*|Login timeout expired|while trying to read your profiles\.yml[^\n]*|profiles\.yml[^\n]*(?:invalid|not found|could not)[^\n]*",
    ),
    // DuckDB/MotherDuck: the database file, its attachments and the MotherDuck token.
    Rule::any(
        r"(?:Please check your )?MotherDuck token[^\n]*|Your request is not authenticated[^\n]*|Cannot (?:open|launch)[^\n]*(?:database|in-memory database)[^\n]*read-only mode[^\n]*|Cannot attach the database[^\n]*already attached[^\n]*|LocalFileSystem has been disabled[^\n]*|Can't open share[^\n]*|Corrupt database file[^\n]*|Failure while replaying WAL file[^\n]*|database file[^\n]* (?:could not be opened|is locked)[^\n]*",
    ),
    Rule::any(
        r"There is no session or session context has expired[^\n]*|Unexpected packet from server[^\n]*|THERE_IS_NO_SESSION|Attempt to read after eof[^\n]*",
    ),
    // A credentials file that is not JSON (BigQuery's keyfile, a service account's JSON).
    Rule::any(
        r"Expecting (?:property name enclosed in double quotes|value|',' delimiter)[^\n]*: line \d+ column \d+[^\n]*",
    ),
    // A setting the profile gives too late (DuckDB/MotherDuck `settings` after ATTACH).
    Rule::any(r"setting '(?P<object>[^']+)' can only be set during initialization[^\n]*"),
    // The profile's adapter type is not one this engine runs.
    Rule::any(r"adapter is not yet supported by dbt Fusion[^\n]*"),
    // Trino's OAuth2 flow without a token server (an expired cached token).
    Rule::any(r"header info didn't have x_token_server"),
    // Materialize: the cluster the profile or role names is not there.
    Rule::on(
        &[Adapter::Materialize],
        r#"unknown cluster '(?P<object>[^']+)'|default cluster "(?P<object2>[^"]+)" does not exist"#,
    ),
];

use super::fix::{FixContext, FixStep};

pub(super) fn fix(cx: &FixContext<'_>) -> Vec<FixStep> {
    // Snowflake 000606: the login worked; the session has no warehouse to run queries on.
    if cx.message.contains("No active warehouse selected") {
        return vec![
            FixStep::say(
                "The login worked, but the session has no warehouse: set `warehouse:` in this \
                 target of profiles.yml (or give the dbt user a DEFAULT_WAREHOUSE), and make sure \
                 the dbt role may use it: GRANT USAGE ON WAREHOUSE <warehouse> TO ROLE <dbt role>;",
            ),
            FixStep::run(
                "See, as the dbt role, which warehouses it may use",
                "SHOW WAREHOUSES;",
            ),
        ];
    }
    let ev = cx.ev();
    let t = cx.target_flag();
    let mut steps = Vec::new();
    if let Some(p) = &ev.profile {
        steps.push(FixStep::say(format!(
            "dbt_project.yml says `profile: {p}`, but profiles.yml has no profile of that name: fix \
             the name in one of them (the profile names are profiles.yml's top-level keys)"
        )));
        steps.push(FixStep::run(
            "See which profiles.yml dbt reads",
            "dbt debug --config-dir",
        ));
    }
    if let Some(tg) = &ev.target {
        steps.push(FixStep::say(format!(
            "The profile has no target `{tg}`: fix --target / the profile's `target:` or add the target to profiles.yml"
        )));
    }
    if let Some(v) = &ev.env_var {
        steps.push(FixStep::say(format!(
            "The environment variable {v} is not set where dbt ran: set it in the job's environment \
             (or its secret store), or give env_var('{v}', 'default') a default where one is safe"
        )));
    }
    if let Some(u) = &ev.user {
        steps.push(FixStep::say(format!(
            "The warehouse refused the credentials of user {u}: check the password/key/token in \
             the profile (as env_var()), and whether the account is locked or the secret expired"
        )));
        if u.contains('@') {
            steps.push(FixStep::say(format!(
                "{u} looks like a person's account: jobs should connect with a service account whose \
                 secret comes from env_var(), so they do not break when a person's password changes"
            )));
        }
    }
    if steps.is_empty() {
        steps.extend(profile_field(cx.message).map(FixStep::say));
    }
    if steps.is_empty() {
        steps.extend(what_failed(cx.message).map(FixStep::say));
    }
    steps.push(FixStep::run(
        "Test the profile and the connection step by step",
        format!("dbt debug{t}"),
    ));
    steps
}

const NO_ANSWER: &str = "No server answered at this target's host and port from where dbt ran: \
     check `host:` and `port:`, that the server (or the SQL warehouse / cluster) is up, and that \
     the job's network may reach it (firewall, VPN, the warehouse's IP allow-list)";

/// Which part of connecting failed, from the words of the message, and the first thing to check
/// for it. The first entry whose words occur wins: specific causes (a lock, a driver, a name that
/// does not resolve) before the broad ones (credentials, network).
const CONNECT_STEPS: &[(&[&str], &str)] = &[
    (
        &[
            "dbt_project.yml file [error not found]",
            "not a dbt project",
        ],
        "dbt ran outside the project: no dbt_project.yml where it started. Run it from the \
         folder that holds dbt_project.yml, or pass --project-dir (DBT_PROJECT_DIR) — in a job, \
         the step's working directory",
    ),
    (
        &["no profile specified in dbt_project.yml"],
        "dbt_project.yml has no `profile:` key: add `profile: <name>`, the top-level key of the \
         profile in profiles.yml that this project connects with",
    ),
    (
        &[
            "no profiles.yml found",
            "profiles.yml file [error not found]",
        ],
        "dbt found no profiles.yml where it looked (the folders the message lists, ~/.dbt/, the \
         project folder): in a container or a CI job, put the file in the image or a mounted \
         secret and point DBT_PROFILES_DIR (or --profiles-dir) at its folder",
    ),
    (
        &["role '"],
        "The role the profile names (`role:` in profiles.yml) does not exist, or is not granted \
         to the user dbt logs in as: fix `role:`, or as an admin GRANT ROLE <role> TO USER <dbt \
         user>;",
    ),
    (
        &[
            "connection error for http",
            "http get",
            "http head",
            "s3_endpoint",
        ],
        "DuckDB's httpfs could not reach the object store: check the S3 settings the profile \
         gives DuckDB (`settings:` or a secret — s3_endpoint, s3_url_style 'path' for MinIO, \
         s3_use_ssl, s3_region) and that the endpoint is reachable from where dbt runs; `dbt \
         debug` does not test them",
    ),
    (
        &["invalid bucket name \"\""],
        "An S3 location the profile should give is empty (Athena's s3_staging_dir or \
         s3_data_dir, or the env var it reads): set it in this target of profiles.yml",
    ),
    (
        &["could not set lock on file", "conflicting lock is held"],
        "DuckDB could not lock its database file: another process holds it (a second dbt, a \
         notebook, a BI tool), or the file sits on a share without file locks (SMB, NFS). Close \
         the other process, or keep the .duckdb file on a local disk",
    ),
    (
        &["not yet supported by dbt fusion", "unknown variant"],
        "dbt Fusion does not support this adapter (the message lists the ones it does): run this \
         project with dbt Core and its adapter package until it does",
    ),
    (
        &["fatal: role", "fatal:  role"],
        "The user in profiles.yml does not exist on this server (`user:` of this target): fix \
         the name, or as an admin CREATE ROLE <user> LOGIN PASSWORD '…';",
    ),
    (
        &["fatal: database", "fatal:  database"],
        "The database in profiles.yml (`dbname:` of this target) does not exist on this server: \
         fix the name (`\\l` in psql lists them), or create it",
    ),
    (
        &[
            "while scanning",
            "mapping values are not allowed",
            "could not find expected ':'",
            "failed to parse profiles.yml",
            "error while trying to read your profiles.yml",
            "found character that cannot start any token",
        ],
        "profiles.yml is not valid YAML at the line the message quotes: a value that starts \
         with `{`, `` ` ``, `*`, `%` or `@` must be quoted (`password: \"{abc123\"`), a key needs a \
         space after its colon, and indentation must be spaces, the same under each target. \
         Fix the line, then `dbt debug` reads the file again",
    ),
    (
        &["target not specified in profile"],
        "The profile has no `target:` key saying which of its outputs to use: add `target: \
         <name of an output>` at the profile's top level, beside `outputs:` (or pass --target)",
    ),
    (
        &["is not permitted to log in"],
        "The user in profiles.yml is a role without LOGIN: as an admin, ALTER ROLE <dbt user> \
         LOGIN; (or connect as a role that has it)",
    ),
    (
        &["in a read-only transaction"],
        "dbt is connected to a read-only server (a standby/replica, or a session forced \
         read-only): point `host:` in this target at the primary, or the writer endpoint",
    ),
    (
        &["mfa with totp", "multi-factor", "duo security", "mfa "],
        "The user has multi-factor authentication, which a job cannot answer: give the job a \
         service user with key-pair authentication (`private_key_path`/`private_key` in \
         profiles.yml) instead of a person's password",
    ),
    (
        &["not listed in the access token", "is not listed in the access token"],
        "The role in profiles.yml is not among the roles the OAuth token was issued for: use a \
         role the token's scope lists (session:role:<ROLE>), or ask the OAuth admin to add it",
    ),
    (
        &[
            "default credentials were not found",
            "could not automatically determine credentials",
            "reauthentication is needed",
            "application default credentials",
        ],
        "No Google credentials where dbt ran: locally run `gcloud auth application-default \
         login`; in a job, use `method: service-account` with `keyfile:` (or workload identity) \
         in this target of profiles.yml, and set GOOGLE_APPLICATION_CREDENTIALS where the job \
         runs",
    ),
    (
        &["unable to locate credentials", "no credentials found"],
        "No AWS credentials where dbt ran: set AWS_PROFILE (and `aws_profile_name:` in the \
         profile), the AWS_ACCESS_KEY_ID/SECRET pair, or the job's instance or task role",
    ),
    (
        &[
            "environmentcredential authentication unavailable",
            "unsupported authentication method",
            "sql authentication is not supported",
            "azure active directory application's client secret",
        ],
        "The profile's `authentication:` does not match what the server accepts: Fabric takes \
         Microsoft Entra ID only (ServicePrincipal with tenant_id, client_id and client_secret, \
         or CLI after `az login`), not SQL logins; EnvironmentCredential needs AZURE_TENANT_ID, \
         AZURE_CLIENT_ID and AZURE_CLIENT_SECRET set where dbt runs",
    ),
    (
        &["incorrect padding"],
        "A key in the profile is not valid base64 (as a rule the private key: pasted without \
         its line breaks, or cut short): give the whole PEM file by `private_key_path`, or the \
         key with its BEGIN/END lines intact",
    ),
    (
        &[
            "ora-12514",
            "ora-12541",
            "ora-12505",
            "dpy-6000",
            "dpy-6005",
            "dpy-4000",
            "tnsnames.ora",
        ],
        "The Oracle listener does not know the service the profile asks for (or none listens at \
         that host and port): check `host:`, `port:` and `service:` in profiles.yml against \
         `lsnrctl status` or tnsnames.ora (TNS_ADMIN), and the database is open",
    ),
    (
        &["dpy-3010", "dpy-3001", "thick mode", "oracle client library"],
        "python-oracledb's thin mode cannot talk to this server (an old version, or Native \
         Network Encryption): use thick mode — install Oracle Instant Client where dbt runs and \
         set ORA_PYTHON_DRIVER_TYPE=thick (with LD_LIBRARY_PATH to the client)",
    ),
    (
        &["unexpected packet from server"],
        "ClickHouse answered in another protocol than the client speaks: the port is the HTTP \
         one for a native driver or the reverse — `port:` 9000 (9440 secure) is native, 8123 \
         (8443 secure) is HTTP; match `driver:` and `secure:` in profiles.yml",
    ),
    (
        &["unknown cluster", "default cluster"],
        "The Materialize cluster the profile or the role uses does not exist: set `cluster:` in \
         profiles.yml to one that `SHOW CLUSTERS` lists, or ALTER ROLE <role> SET cluster TO \
         <cluster>;",
    ),
    (
        &["unity catalog is not enabled", "uc_not_enabled", "hive metastore federation"],
        "The cluster or catalog the profile names is outside Unity Catalog: point `http_path` at \
         a UC-enabled SQL warehouse or cluster (access mode shared or single user), or set \
         `catalog:` to a Unity Catalog catalog",
    ),
    (
        &[
            "corrupt database file",
            "failure while replaying wal",
            "storage version",
            "serialized with an older version",
            "supported version of duckdb",
        ],
        "DuckDB cannot read its database file: it was written by another DuckDB version (the \
         message names it) or damaged. Open it with that version and EXPORT DATABASE, then \
         IMPORT DATABASE with this one — or, if dbt built all of it, delete the file and rebuild",
    ),
    (
        &["in read-only mode", "different configuration than existing connections"],
        "DuckDB opened the database in a mode this run cannot use: another connection (or the \
         profile's `attach:`) opened the same file read-only or with other settings. Use one \
         configuration for the file, and a file path (not `:memory:`) when it must be written",
    ),
    (
        &["address already in use"],
        "A port the login needs is taken (the OAuth callback's, or the server's): another dbt or \
         browser login is still waiting — close it and rerun, or use a non-interactive \
         authentication (a token or key) in jobs",
    ),
    (
        &["dbt_cloud.yml"],
        "The dbt Cloud CLI needs its credentials file: download dbt_cloud.yml from dbt Cloud \
         (Account settings → CLI) into ~/.dbt/, or use dbt Core with a profiles.yml",
    ),
    (
        &["server closed the connection unexpectedly", "connection is broken"],
        "The server ended the session mid-query: it restarted, a proxy or firewall cut an idle or \
         long connection, or it killed the backend (out of memory). The server's log says which; \
         rerun, and for long models set keepalives (keepalives_idle in the profile) or a shorter \
         path through the proxy",
    ),
    (
        &[
            "can't open lib",
            "data source name not found",
            "driver not found",
            "loadlibrary",
            "error with dynamic library",
            "no module named",
        ],
        "A driver or library the adapter needs is not installed where dbt ran (for SQL Server, \
         Fabric and Synapse the ODBC driver named by `driver:` in profiles.yml must be one that \
         `odbcinst -q -d` lists): install it in the job's image, or fix the name",
    ),
    (
        &[
            "could not translate host name",
            "name or service not known",
            "getaddrinfo",
            "nodename nor servname",
            "could not resolve",
            "unknown host",
            "temporary failure in name resolution",
        ],
        "The host name of this target does not resolve from where dbt ran: check `host:` (or \
         `account:`) in profiles.yml for a typo, and the job's DNS or VPN",
    ),
    (
        &["certificate", "ssl", "tls handshake"],
        "The TLS handshake failed: the server's certificate is not trusted from where dbt ran (a \
         corporate proxy, a self-signed or expired certificate). Point the client at the right CA \
         bundle (REQUESTS_CA_BUNDLE, sslrootcert, the adapter's TLS settings) rather than turning \
         verification off",
    ),
    // Before "expired": `timeout expired` is the network, not a credential.
    (&["timeout expired", "timed out", "request timeout"], NO_ANSWER),
    (
        &["expired"],
        "The credential expired: create or refresh it (a new personal access token, `gcloud auth \
         application-default login`, a rotated key or client secret), put it where the profile \
         reads it (env_var()), and give jobs a service account whose secret does not expire with \
         a person's session",
    ),
    (
        &[
            "authentication failed",
            "password authentication",
            "incorrect username or password",
            "invalid username or password",
            "invalid credentials",
            "login failed",
            "logon denied",
            "authentication_failed",
            "unauthorized",
            "invalid_grant",
            "invalid access token",
            "invalid token",
            "jwt",
        ],
        "The warehouse refused the credentials dbt sent: check the user and the password, key or \
         token of this target in profiles.yml (as env_var(), set where the job runs), and whether \
         the secret was rotated or the account is locked",
    ),
    (
        &[
            "connection refused",
            "timed out",
            "timeout expired",
            "network is unreachable",
            "no route to host",
            "connection reset",
            "max retries exceeded",
            "failed to establish a new connection",
            "failed to get the response",
            "ip address",
            "not allowed to access",
        ],
        NO_ANSWER,
    ),
];

fn what_failed(message: &str) -> Option<&'static str> {
    let lower = message.to_ascii_lowercase();
    CONNECT_STEPS
        .iter()
        .find(|(words, _)| words.iter().any(|w| lower.contains(w)))
        .map(|(_, say)| *say)
}

/// dbt's profile validation names the key: `Credentials in profile "p", target "dev" invalid:
/// 'database' is a required property`, `… invalid: '5432' is not of type 'integer'`, `Must
/// specify `host` in profile`, Fusion's ``In file `profiles.yml`, field `account` is required``.
/// The step says which key and what it needs.
fn profile_field(message: &str) -> Option<String> {
    let between = |after: &str, until: char| {
        message
            .split_once(after)
            .and_then(|(_, rest)| rest.split_once(until))
            .map(|(v, _)| v.trim().to_string())
    };
    let target = between("target \"", '"')
        .map(|t| format!(" (target `{t}`)"))
        .unwrap_or_default();
    if let Some((head, _)) = message.split_once(" is a required property") {
        // `… invalid: 'database' is a required property`: the key is the last quoted word.
        let key = head.rsplit('\'').nth(1)?;
        return Some(format!(
            "This target of profiles.yml{target} has no `{key}:` — the adapter requires it: add \
             it under the target's other keys"
        ));
    }
    if let Some(key) = between("field `", '`').filter(|_| message.contains("` is required")) {
        return Some(format!(
            "profiles.yml's target has no `{key}:`, which this adapter requires: add it"
        ));
    }
    if let Some(key) = between("Must specify `", '`').or_else(|| between("Must specify ", ' ')) {
        let key = key.trim_matches('`');
        return Some(format!(
            "This target of profiles.yml{target} has no `{key}:`: add it"
        ));
    }
    let (head, kind) = message.split_once(" is not of type '")?;
    let kind = kind.split('\'').next()?;
    let value = head
        .rsplit_once("invalid: ")
        .map_or(head, |(_, v)| v)
        .trim();
    let advice = if let Some(name) = value
        .split_once("${")
        .and_then(|(_, rest)| rest.split_once('}'))
        .map(|(name, _)| name)
    {
        let int = if kind == "integer" { " | int" } else { "" };
        format!(
            "profiles.yml is not a shell script: `${{{name}}}` is not substituted. Write \
             `{{{{ env_var('{name}'){int} }}}}`"
        )
    } else if kind == "integer" {
        "a value from env_var() is a string: write `{{ env_var('NAME') | int }}` (or \
         `as_number`), or the number without quotes"
            .to_string()
    } else {
        format!("give it as a {kind} (quoted, on one line)")
    };
    Some(format!(
        "A value in this target of profiles.yml{target}, {value}, is not of type {kind}: {advice}"
    ))
}

#[cfg(test)]
mod tests {
    use super::{profile_field, what_failed};

    /// Real messages from tests/messages (tuning set): core-222, pg-410, core-640, fusion-416,
    /// spark-403.
    #[test]
    fn the_profile_key_dbt_names_is_the_step() {
        let required = profile_field("Credentials in profile \"flink_profile\", target \"dev\" invalid: 'database' is a required property").unwrap();
        assert!(
            required.contains("`database:`") && required.contains("`dev`"),
            "{required}"
        );
        let port = profile_field("Credentials in profile \"PROFILE_NAME\", target: 'dev', invalid: '5432' is not of type 'integer'").unwrap();
        assert!(port.contains("| int"), "{port}");
        let shell = profile_field("Runtime Error Credentials in profile \"at_trade_pulse\", target \"dev\" invalid: '${POSTGRES_PORT}' is not of type 'integer'").unwrap();
        assert!(
            shell.contains("{{ env_var('POSTGRES_PORT') | int }}"),
            "{shell}"
        );
        let fusion =
            profile_field("dbt1005: In file `profiles.yml`, field `account` is required.").unwrap();
        assert!(fusion.contains("`account:`"), "{fusion}");
        let spark = profile_field("Runtime Error Credentials in profile \"de_team_lakehouse\", target \"prod\" invalid: Runtime Error Must specify `host` in profile").unwrap();
        assert!(
            spark.contains("`host:`") && spark.contains("`prod`"),
            "{spark}"
        );
        assert_eq!(
            profile_field("FATAL: password authentication failed for user \"dbt\""),
            None
        );
    }

    #[test]
    fn a_timeout_is_not_an_expired_credential() {
        let said = what_failed("connection to server failed: timeout expired").unwrap();
        assert!(said.contains("No server answered"), "{said}");
    }
}

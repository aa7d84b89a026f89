export interface Config {
  paved?: {
    /**
     * The Terraform driver (@paved/plugin-terraform-node): how the
     * TerraformRunner runs vetted modules.
     */
    terraform?: {
      /**
       * The terraform or tofu binary: a name looked up on PATH or a path.
       * Without it the portal starts as usual and the paved:terraform:* actions
       * fail saying the binary is not found. Default: terraform.
       */
      binary?: string;
      /**
       * Directory of the vetted modules, one folder per module with a
       * module.json manifest. Relative paths resolve from the backend's
       * working directory. Default: templates/terraform/modules in the
       * nearest parent directory that has one.
       */
      modulesDir?: string;
      /**
       * Where each run gets its working directory
       * (<workDir>/<workspace>/runs/<runId>), and local state lives. It need
       * not be shared between replicas: saved plans are also kept in the
       * database, and a replica that applies a plan made elsewhere rebuilds
       * its run directory from there. Default: data/terraform beside the
       * modules' repository.
       */
      workDir?: string;
      /**
       * Key that encrypts saved plan files in the database (AES-256-GCM):
       * they hold the request's variable values, passwords included. At
       * least 32 characters, e.g. the output of `openssl rand -base64 32`,
       * and the same on every replica. Without it, a key is generated into
       * <workDir>/.paved-plan-files.key, and only replicas sharing that
       * file can apply a plan. Plans sealed with a key no longer configured
       * cannot be applied; plan again. In production
       * (`auth.environment: production`) the backend refuses to start
       * without one of real entropy: not the placeholder of
       * docker/kubernetes/secret.example.yaml, at least 32 bytes once
       * decoded (base64 or hex; other text as UTF-8) and at least 16
       * distinct byte values.
       * @visibility secret
       */
      planEncryptionKey?: string;
      /**
       * Keys that planEncryptionKey replaced: plans they sealed can still be
       * applied (new plans use planEncryptionKey). Keep an old key here
       * for planMaxAge after a rotation, then remove it.
       * @visibility secret
       */
      previousPlanEncryptionKeys?: string[];
      /**
       * The largest plan file (bytes) kept in the database for apply; a
       * larger plan is refused. Default: 33554432 (32 MiB).
       */
      planMaxBytes?: number;
      /**
       * A saved plan older than this is refused by apply; unapplied plans
       * past it expire and their plan files are removed, from the database
       * and from every replica's work directory. Default: 1 hour.
       */
      planMaxAge?:
        | string
        | {
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /**
       * After cancellation, how long terraform has to stop after SIGINT
       * before it is killed; the same at the backend's shutdown (after
       * SIGTERM) and when the backend died (the watchdog each terraform
       * runs under sends SIGTERM, then SIGKILL). Default: 30 seconds.
       */
      cancelGracePeriod?:
        | string
        | {
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /**
       * Lease of the per-workspace run lock in the database; renewed while
       * the run lives, taken over once it expires. Default: 2 minutes. With
       * scaffolder task recovery on, `scaffolder.taskRecovery.staleTimeout`
       * must be at least this plus 5 seconds (checked at start), so that a
       * task is resumed only once the dead process's lease has lapsed.
       */
      lockLease?:
        | string
        | {
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /**
       * How long terraform waits for a state lock held elsewhere
       * (-lock-timeout). Default: 0 seconds.
       */
      stateLockTimeout?:
        | string
        | {
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /**
       * Extra environment for terraform that is not secret, for example
       * AWS_REGION or TF_PLUGIN_CACHE_DIR.
       */
      environment?: { [name: string]: string };
      /**
       * Provider credentials for terraform's environment, for example
       * AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Never written to files
       * or arguments; redacted from every log line and error.
       * @visibility secret
       */
      secretEnvironment?: { [name: string]: string };
      /**
       * Where state is kept. Default: local.
       */
      backend?: {
        /**
         * local (development only), pg, s3 or gcs.
         */
        type: 'local' | 'pg' | 's3' | 'gcs';
        local?: {
          /**
           * Directory holding <workspace>/terraform.tfstate. Default:
           * workDir.
           */
          directory?: string;
        };
        pg?: {
          /**
           * PostgreSQL connection string for the state (passed to terraform
           * as PG_CONN_STR only). Default: derived from backend.database
           * (client pg, its connection as a string or an object): the
           * database Backstage gives the plugin hosting the runner, for the
           * scaffolder backstage_plugin_scaffolder (or what
           * backend.database.prefix, plugin.scaffolder.connection.database
           * or pluginDivisionMode: schema make of it). That is where the
           * runner's saved plans and workspace leases are, so state is
           * backed up and restored with them, and where state has always
           * been kept. Set it for another database, or when the portal's
           * connects with short-lived credentials
           * (backend.database.connection.type), which terraform cannot use.
           * @visibility secret
           */
          connectionString?: string;
          /**
           * Each workspace gets the schema <schemaPrefix><workspace>.
           * Default: tfstate_.
           */
          schemaPrefix?: string;
        };
        s3?: {
          bucket: string;
          region: string;
          /** State key is <keyPrefix><workspace>/terraform.tfstate. */
          keyPrefix?: string;
          /** DynamoDB table for locks; without it, S3 lock files. */
          dynamodbTable?: string;
          /** @visibility secret */
          accessKeyId?: string;
          /** @visibility secret */
          secretAccessKey?: string;
          /** @visibility secret */
          sessionToken?: string;
        };
        gcs?: {
          bucket: string;
          /** State prefix is <prefix><workspace>. */
          prefix?: string;
          /**
           * Service account key JSON (passed as GOOGLE_CREDENTIALS).
           * @visibility secret
           */
          credentials?: string;
        };
      };
    };
  };
}

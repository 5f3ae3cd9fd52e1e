// Generated from openapi/control-plane.openapi.yaml by ui/generate-types.mjs. Do not edit.
export interface paths {
  '/__mock/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Liveness check
     * @description Answers as soon as the emulator routes requests. A test harness or a container health check
     *     polls it before starting; `now` is the emulator's clock, which may differ from the wall clock.
     */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Forget all state
     * @description Empties tasks, attachments (and their stored bytes), download URLs, rate-limit windows,
     *     fault rules and the journal, restores the configured rate-limit switch, then registers the
     *     default app again (with every scope, even with `keepTokens`) and reapplies the `seed` given at start. Tests call it in `beforeEach` so
     *     that they do not see each other's data.
     *
     *     The clock goes back to wall-clock time and is unfrozen. Without `keepTokens` it also forgets
     *     every app, user and credential. With `keepTokens: true` apps, users, every issued token,
     *     refresh token and authorization code are kept, so a client that cached a tenant or user
     *     token keeps working across tests.
     *     The body may be omitted.
     */
    post: operations['reset'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/clock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read the emulator's clock
     * @description The emulator decides every expiry (access tokens, refresh tokens, authorization codes,
     *     download URLs, rate-limit windows) and every timestamp it writes (`uploaded_at`,
     *     `created_at`, log ids) against this clock, not against the wall clock.
     */
    get: operations['getClock'];
    put?: never;
    /**
     * Move the clock
     * @description Moves time instead of sleeping: `advanceMs` adds to the offset (e.g. 180000 to expire a
     *     download URL, 5400000 to reach the 30-minute tenant-token reissue window, 7200000 to expire
     *     a token); `setMs` sets the time outright and may move it backwards. Give at most one of the
     *     two. `freeze: true` stops time (applied before the move, so `{setMs, freeze: true}` stops it
     *     at `setMs`); `freeze: false` lets it run on with the wall clock (applied after the move).
     *     Unfrozen, the clock keeps running from the new time. Rate-limit windows are fixed windows
     *     aligned on this clock, so advancing it by a second opens a new per-second window; freeze it
     *     to count calls inside one window without the real second rolling over.
     */
    post: operations['setClock'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/apps': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Register an app
     * @description Registers an app that can then get tenant and app access tokens from
     *     `/open-apis/auth/v3/{tenant,app}_access_token/internal`. `scopes` are the scopes the app was
     *     granted and are checked on calls made with its tenant token; leave one out to provoke
     *     99991672. Without `scopes` the app gets every scope the emulator checks
     *     (`task:attachment:read`, `task:attachment:write`, `task:task:read`, `task:task:write`).
     *     The default app (`cli_mock_app` / `mock_app_secret` unless configured) exists from the start.
     *     An `app_id` that exists (the default app included) is refused with 409 unless `replace: true`.
     */
    post: operations['createApp'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a user
     * @description Creates a user of the tenant. Ids that are not given are generated (`ou_…`, `on_…`, 8 hex
     *     digits). Give them to test `user_id_type`: task members and attachment uploaders come back
     *     as the requested id. A second user with the same `open_id` is refused with 409 unless
     *     `replace: true`, which replaces the first.
     */
    post: operations['createUser'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/user-access-tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Issue a user access token directly
     * @description Issues a user access token (a JWT-shaped `eyJ…` string) and a single-use refresh token for an
     *     existing user, skipping the OAuth authorization-code exchange. The body of the answer is the
     *     one `POST /open-apis/authen/v2/oauth/token` returns, without its `code`. `app_id` defaults
     *     to the default app; `scopes` default to every scope the emulator checks. Leave a scope out to
     *     provoke 99991679. The access token lives 7200 s and the refresh token 604800 s on the
     *     emulator's clock. An unknown `app_id` or `open_id` is refused with 400.
     */
    post: operations['createUserAccessToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/authorization-codes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Issue an OAuth authorization code
     * @description Issues the code a user's browser would bring back from Feishu's consent page, so a test can
     *     drive its client's real exchange at `POST /open-apis/authen/v2/oauth/token`
     *     (`grant_type: authorization_code`). The code is valid for 5 minutes on the emulator's clock
     *     and can be exchanged once, by the app it was issued for. `app_id` and `scopes` default as for
     *     user access tokens.
     */
    post: operations['createAuthorizationCode'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/tasks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a task, with attachments, without the emulated API
     * @description Puts a task in, owned by the default app unless `creator_open_id` names a user, with members
     *     given by open_id (or app_id), and optionally attachments whose bytes are given inline (`utf8`
     *     text or `base64`). It bypasses tokens, scopes, permissions, rate limits and faults, so a test
     *     of listing or downloading does not have to upload first. Every field task create stores can be
     *     given in Feishu's spelling (`due`, `start`, `completed_at`, `extra`, `repeat_rule`,
     *     `custom_complete`, `origin`, `mode`, `is_milestone`, `reminders`, `tasklists`, `custom_fields`),
     *     within the same limits and rules (a reminder needs `due`; `start` is not after `due`), and
     *     `parent_task_guid` seeds a subtask of an existing task. Attachments are stored in the order
     *     given; an attachment's uploader is the default app unless `uploader_open_id` names a user.
     *     Every open_id must belong to a user created before. Not atomic: when an attachment is refused
     *     the task and the attachments before it stay.
     */
    post: operations['seedTask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/faults': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the fault rules not used up yet
     * @description A test checks that its client made exactly the calls a rule was meant to catch (`remaining` counts down).
     */
    get: operations['listFaults'];
    put?: never;
    /**
     * Make the next matching calls fail
     * @description Adds a rule that the gateway applies to the next `times` calls of the emulated surface that
     *     match every given criterion (`method`; `path`, exact or with `*` for any run of characters;
     *     `operation`, the emulator's name for an endpoint). Faults run before the bearer check, scopes
     *     and rate limits, and never apply to `/__mock`. A test uses them to see its client retry on a
     *     500, give up on a 403, back off on a 429, or time out: `error` answers with that status and
     *     Feishu body `{code, msg, error: {log_id}}`; `delayMs` holds the call until the emulator clock
     *     has moved that far (real time on a running clock; on a frozen clock, until `POST
     *     /__mock/clock` advances it), then runs it, or the error; `drop: true` destroys the
     *     connection without an answer.
     *     Rules are tried in the order added; the first match takes the call and is removed once used
     *     `times` times.
     *
     *     Operation names (any other is refused with a 400 that lists these): `auth.tenantAccessToken`,
     *     `auth.appAccessToken`, `authen.oauthToken`, `authen.oidcAccessToken`,
     *     `authen.oidcRefreshAccessToken`, `task.create`, `task.get`, `task.patch`, `task.delete`,
     *     `task.list`, `task.addMembers`, `task.removeMembers`, `subtask.create`, `subtask.list`,
     *     `attachment.upload`, `attachment.list`, `attachment.get`, `attachment.delete`, `download`. An error's status is
     *     400–599 (or 200 with a non-zero code) and its headers must be writable (RFC 9110 token names, no CR, LF or other control
     *     characters in values).
     */
    post: operations['addFault'];
    /**
     * Remove every fault rule
     * @description Undoes rules a test added but did not use up.
     */
    delete: operations['clearFaults'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read the journal of calls to the emulated surface
     * @description Every call outside `/__mock` is recorded once it is answered (or dropped), oldest first, in a
     *     ring of the last 1000 calls (`journalSize`, at most 10000). A test asserts what its client sent: how many calls, to which
     *     operation, with which query, as which caller, and what the emulator answered. Tokens are
     *     never recorded; `caller` names the app or user behind them. Filters combine; `limit` keeps
     *     the newest N matches. No other query parameter is accepted.
     */
    get: operations['listRequests'];
    put?: never;
    post?: never;
    /**
     * Empty the journal
     * @description Lets a test count only the calls made after this point.
     */
    delete: operations['clearRequests'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/faults/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove one fault rule
     * @description Takes back one armed rule, leaving the others in place (the inspector's remove button).
     */
    delete: operations['removeFault'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/requests/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One journal entry with what was sent and answered
     * @description The entry as `GET /__mock/requests` lists it, plus `detail` once the call has ended: request
     *     and response headers, JSON bodies (parsed), the start of other text bodies, and for a
     *     multipart body each part's name, filename, size and content type (never its bytes). Bodies
     *     are kept up to 16 KiB each (`truncated` says a text was cut), so the journal stays bounded.
     *     Credentials are masked as `***`: the `Authorization` value after its scheme, cookies, and JSON
     *     fields named `*access_token`, `*refresh_token`, `*secret` or a string `code`.
     */
    get: operations['getRequest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/download-urls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read the temporary download URL ledger
     * @description Every attachment list or get call mints a fresh download URL per attachment, valid for 3
     *     minutes and 3 downloads (Feishu's rule). This ledger shows each URL issued, oldest first,
     *     with the uses left and whether it has expired, so a test can check that its client does not
     *     waste uses, re-fetches a URL instead of reusing an expired one, or downloads at most three
     *     times. A `HEAD` on a URL does not take a use. The ledger keeps the newest 100000 URLs
     *     (older ones are forgotten and answer like unknown ones); URLs of a deleted attachment stay
     *     listed but are refused. It is read a page at a time, like Feishu's lists: `page_size`
     *     (default 50, at most 500), then `page_token` from the previous page while `has_more`.
     *     `order=desc` reads newest first.
     */
    get: operations['listDownloadUrls'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/rate-limits': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Whether Feishu's rate limits are enforced
     * @description On by default (`--no-rate-limits` turns them off at start).
     */
    get: operations['getRateLimits'];
    /**
     * Turn rate limits on or off
     * @description A load test turns them off; a test of 429 handling turns them on. Limits count per operation
     *     and app in fixed windows on the emulator's clock. A reset restores the configured setting.
     */
    put: operations['setRateLimits'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/snapshot': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export the whole state as one snapshot file
     * @description Apps, users, tokens, OAuth codes, tasks, attachments with their bytes, download URLs with their
     *     uses left, the clock and the counters, as one SQLite file (a consistent copy taken with
     *     `VACUUM INTO`, plus a `snapshot_blobs` table holding the bytes). Check it into a repository as a
     *     fixture and start an emulator from it with `--import FILE` (or `importFile`). Only an emulator
     *     with a data dir has a durable store to export; one without answers 400.
     */
    get: operations['exportSnapshot'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/state': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Everything stored, at a glance
     * @description Apps (without secrets), users, and every task (subtasks too) with its members, status, times
     *     and attachments, oldest first.
     *     Members, creators and uploaders are `app:<app_id>` or `user:<open_id>`.
     */
    get: operations['getState'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/operations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The operation names of the emulated surface
     * @description The names fault rules, rate limits and journal entries use, read from the emulator's own routes.
     */
    get: operations['listOperations'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/attachments/{attachment_guid}/download-urls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mint a fresh download URL for an attachment
     * @description The same URL a list or get call would hand out (3 minutes, 3 uses on the emulator's clock),
     *     without a Feishu caller or its permission checks. Fetching it spends a use as any download does.
     */
    post: operations['createDownloadUrl'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/attachments/{attachment_guid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete an attachment as an operator
     * @description Removes the attachment and its bytes, whoever uploaded it; its URLs then answer as unknown.
     */
    delete: operations['deleteAttachment'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/sandboxes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the live sandboxes
     * @description The default sandbox first, then the others oldest first; no app secrets.
     */
    get: operations['listSandboxes'];
    put?: never;
    /**
     * Create a sandbox: an isolated tenant with its own app
     * @description A sandbox has its own apps, users, tokens, tasks, attachments, download URLs, clock, fault
     *     rules, rate-limit windows and journal; nothing in one is visible from another. Its app (given
     *     here, or generated) exchanges its secret for tokens at the usual
     *     `/open-apis/auth/v3/{tenant,app}_access_token/internal`, and every call made with those tokens,
     *     and every download URL they obtain, stays in the sandbox. The body may be omitted.
     *
     *     Steer it through `control_url` (`/__mock/sandboxes/{id}`): every `/__mock` route below that
     *     base works on this sandbox alone, e.g. `POST /__mock/sandboxes/{id}/tasks` seeds a task in it
     *     and `POST /__mock/sandboxes/{id}/reset` resets only it. Sandboxes do not nest (a sandbox
     *     route under a control base is a 400). This answer is the only one that carries the app's secret.
     *     Past `--max-sandboxes` live sandboxes, or with an `app_id` another sandbox holds, it is a 409.
     */
    post: operations['createSandbox'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/sandboxes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One sandbox
     * @description As `GET /__mock/sandboxes` lists it; a deleted or unknown id is a 404.
     */
    get: operations['getSandbox'];
    put?: never;
    post?: never;
    /**
     * Delete a sandbox and everything in it
     * @description Frees all it held (with a data dir, its folder too). Afterwards its tokens, download URLs and
     *     control base answer as unknown ones. The default sandbox cannot be deleted (400); reset it
     *     with `POST /__mock/reset` instead.
     */
    delete: operations['deleteSandbox'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/__mock/openapi.yaml': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * This document
     * @description Lets a tool generate a control-plane client, or a reader see what the running emulator offers.
     */
    get: operations['getOpenApiDocument'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    FeishuError: {
      code: number;
      msg: string;
      error: {
        log_id: string;
      };
    };
    Error: {
      /** @constant */
      code: 1470400;
      /** @description Names each field that was refused and why. */
      msg: string;
      error: {
        /** @description `yyyyMMddHHmmss` then 20 upper-case hex digits, as in the `X-Tt-Logid` header. */
        log_id: string;
      };
    };
    /** @description Milliseconds since the epoch, on the emulator's clock. */
    Timestamp: number;
    Health: {
      /** @constant */
      status: 'ok';
      now: components['schemas']['Timestamp'];
    };
    ClockState: {
      now: components['schemas']['Timestamp'];
      /** @description Whether time is stopped. */
      frozen: boolean;
    };
    ResetRequest: {
      /**
       * @description Keep apps, users and every issued credential.
       * @default false
       */
      keepTokens?: boolean;
    };
    /** @description At most one of `advanceMs` and `setMs`, and/or `freeze`. */
    ClockChange:
      | {
          /** @description Milliseconds to move forwards (at most a century). */
          advanceMs?: number;
          /** @description The new time, ms since the epoch; at most a year short of the largest Date, so every expiry computed from it is still a Date. */
          setMs?: number;
          /** @description true stops time; false lets it run again. */
          freeze?: boolean;
        }
      | unknown
      | unknown
      | unknown;
    /** @description OAuth scopes, e.g. `task:attachment:read`. Omitted means every scope the emulator checks. */
    Scopes: string[];
    AppRequest: {
      app_id: string;
      app_secret: string;
      scopes?: components['schemas']['Scopes'];
      /**
       * @description Overwrite an app with this `app_id` (without it, one that exists is a 409).
       * @default false
       */
      replace?: boolean;
    };
    App: {
      app_id: string;
      scopes: string[];
    };
    UserRequest: {
      name: string;
      /** @description Generated as `ou_` and 32 hex digits when omitted. */
      open_id?: string;
      /** @description Generated as `on_` and 32 hex digits when omitted. */
      union_id?: string;
      /** @description Generated as 8 hex digits when omitted. */
      user_id?: string;
      /**
       * @description Overwrite a user with this `open_id` (without it, one that exists is a 409).
       * @default false
       */
      replace?: boolean;
    };
    User: {
      name: string;
      open_id: string;
      union_id: string;
      user_id: string;
    };
    CredentialRequest: {
      /** @description A user created with `POST /__mock/users`; anyone else is refused with 400. */
      open_id: string;
      /** @description The app the credential is issued to. Defaults to the default app. */
      app_id?: string;
      scopes?: components['schemas']['Scopes'];
    };
    UserAccessToken: {
      /** @description A JWT-shaped token (`eyJ…`). */
      access_token: string;
      /** @description Seconds; 7200. */
      expires_in: number;
      /** @description Single use (`ur-…`). */
      refresh_token: string;
      /** @description Seconds; 604800. */
      refresh_token_expires_in: number;
      /** @description Granted scopes separated by spaces. */
      scope: string;
      /** @enum {string} */
      token_type: 'Bearer';
    };
    AuthorizationCode: {
      /** @description Valid 5 minutes, single use. */
      code: string;
    };
    SeedTaskRequest: {
      /** @description Non-blank, at most 3000 characters. */
      summary: string;
      /** @description At most 3000 characters. */
      description?: string;
      /** @description The creating user. Omitted means the default app creates the task. */
      creator_open_id?: string;
      /** @description Assignees and followers; at most 50. */
      members?: ({
        /** @description A user created with `POST /__mock/users`. */
        open_id?: string;
        /** @description An app; give `open_id` or `app_id`, not both. */
        app_id?: string;
        /** @enum {string} */
        role: 'assignee' | 'follower';
      } & (unknown | unknown))[];
      /**
       * Format: uuid
       * @description Seeds the task as a subtask of this existing task.
       */
      parent_task_guid?: string;
      due?: components['schemas']['TaskTime'];
      /** @description Not later than `due`. */
      start?: components['schemas']['TaskTime'];
      /** @description When the task was completed; `"0"` or omitted: not completed (`status: todo`). */
      completed_at?: string;
      /** @description Any data, echoed as given; at most 65536 characters. */
      extra?: string;
      /** @description An RRULE, stored as given. */
      repeat_rule?: string;
      custom_complete?: {
        pc?: {
          href?: string;
          tip?: components['schemas']['I18nText'];
        };
        ios?: {
          href?: string;
          tip?: components['schemas']['I18nText'];
        };
        android?: {
          href?: string;
          tip?: components['schemas']['I18nText'];
        };
      };
      origin?: {
        platform_i18n_name?: components['schemas']['I18nText'];
        href?: {
          url?: string;
          title?: string;
        };
      };
      /** @description 1: every assignee completes it; 2: any one of them may. */
      mode?: 1 | 2;
      is_milestone?: boolean;
      /** @description Minutes before `due` (which it needs); at most one. */
      reminders?: {
        relative_fire_minute: number;
      }[];
      /** @description Stored and echoed as given: the emulator has no tasklists. */
      tasklists?: {
        /**
         * Format: uuid
         * @description A GUID.
         */
        tasklist_guid: string;
        /**
         * Format: uuid
         * @description A GUID.
         */
        section_guid?: string;
      }[];
      /** @description Stored and echoed as given: the emulator has no custom fields. */
      custom_fields?: {
        /**
         * Format: uuid
         * @description A GUID.
         */
        guid: string;
        number_value?: string;
        datetime_value?: string;
        single_select_value?: string;
        multi_select_value?: string[];
        text_value?: string;
        member_value?: {
          id: string;
          /**
           * @default user
           * @enum {string}
           */
          type?: 'user' | 'app';
          name?: string;
        }[];
      }[];
      attachments?: components['schemas']['SeedAttachment'][];
    };
    TaskTime: {
      /** @description Milliseconds since the epoch, as a string (as Feishu writes times). */
      timestamp: string;
      /** @default false */
      is_all_day?: boolean;
    };
    I18nText: {
      en_us?: string;
      zh_cn?: string;
      zh_hk?: string;
      zh_tw?: string;
      ja_jp?: string;
      fr_fr?: string;
      it_it?: string;
      de_de?: string;
      ru_ru?: string;
      th_th?: string;
      es_es?: string;
      ko_kr?: string;
    };
    SeedAttachment: {
      name: string;
      /** @description The file's bytes, encoded as `encoding` says; base64 is checked strictly (standard alphabet, padded) and the bytes are at most Feishu's 52428800 (the request body itself is at most 1 MB). */
      content: string;
      /**
       * @default utf8
       * @enum {string}
       */
      encoding?: 'utf8' | 'base64';
      /**
       * @description Sent back as `Content-Type` when the file is downloaded: a `type/subtype` media type (optional `; name=value` parameters), ASCII, no CR or LF; anything else is a 400.
       * @default application/octet-stream
       */
      content_type?: string;
      /** @description The uploading user. Omitted means the default app. */
      uploader_open_id?: string;
    };
    SeededTask: {
      task_guid: string;
      attachments: {
        guid: string;
        name: string;
        /** @description Bytes stored. */
        size: number;
      }[];
    };
    FaultError: {
      /** @description 400–599, or 200 with a non-zero `code` (Feishu answers some errors with HTTP 200: the token endpoints, and rate limits have been seen so); any other status is a 400. */
      status: number;
      /** @description Feishu `code` of the answer, e.g. 1470500, 99991400, 99991663. */
      code: number;
      /** @default injected fault */
      msg?: string;
      /** @description Extra response headers, each writable (RFC 9110 token name; value without CR, LF or other control characters). A rate limit (status 429 or code 99991400) gets `x-ogw-ratelimit-limit: 10` and `x-ogw-ratelimit-reset: 1` unless given here. */
      headers?: {
        [key: string]: string;
      };
    };
    /** @description Name at least one of `method`, `path`, `operation`; give `error`, a positive `delayMs` or `drop: true`. */
    FaultRequest: {
      /** @description HTTP method, any case. */
      method?: string;
      /** @description Request path, exact or with `*` matching any run of characters. */
      path?: string;
      /**
       * @description Operation name, e.g. `attachment.upload`.
       * @enum {string}
       */
      operation?:
        | 'attachment.delete'
        | 'attachment.get'
        | 'attachment.list'
        | 'attachment.upload'
        | 'auth.appAccessToken'
        | 'auth.tenantAccessToken'
        | 'authen.oauthToken'
        | 'authen.oidcAccessToken'
        | 'authen.oidcRefreshAccessToken'
        | 'download'
        | 'subtask.create'
        | 'subtask.list'
        | 'task.addMembers'
        | 'task.create'
        | 'task.delete'
        | 'task.get'
        | 'task.list'
        | 'task.patch'
        | 'task.removeMembers';
      /**
       * @description How many matching calls the rule catches.
       * @default 1
       */
      times?: number;
      error?: components['schemas']['FaultError'];
      /** @description Emulator-clock time to hold the call (real time unless the clock is frozen). */
      delayMs?: number;
      /** @description Destroy the connection without an answer. */
      drop?: boolean;
    } & ((unknown | unknown | unknown) &
      (
        | unknown
        | {
            delayMs: unknown;
          }
        | {
            /** @constant */
            drop: true;
          }
      ));
    FaultRule: {
      id: number;
      method?: string;
      path?: string;
      operation?: string;
      /** @description Matching calls the rule will still catch. */
      remaining: number;
      action: {
        error?: {
          status: number;
          code: number;
          msg: string;
        };
        delayMs?: number;
        drop?: boolean;
      };
    };
    FaultList: {
      items: components['schemas']['FaultRule'][];
    };
    JournalEntry: {
      /** @description Increases by one per recorded call. */
      id: number;
      at: components['schemas']['Timestamp'];
      /** @description Upper case. */
      method: string;
      /** @description Without the query string. */
      path: string;
      /** @description The parsed query; a repeated parameter is an array. */
      query: {
        [key: string]: unknown;
      };
      /** @description HTTP status; 0 when the connection was dropped before an answer. */
      status: number;
      /** @description Feishu `code` of the answer (0 for success), when it has one. */
      code?: number;
      /** @description Absent for routes the emulator does not know. */
      operation?: string;
      /** @description `app:<app_id>` or `user:<open_id>`, once the bearer check passed. */
      caller?: string;
      log_id: string;
      duration_ms: number;
      /** @description False when the response did not finish (dropped connection, client gone). */
      completed: boolean;
    };
    JournalList: {
      items: components['schemas']['JournalEntry'][];
    };
    DownloadUrl: {
      /** @description `<publicUrl>/download/authcode/?code=…`; no Authorization needed. */
      url: string;
      attachment_guid: string;
      issued_at: components['schemas']['Timestamp'];
      expires_at: components['schemas']['Timestamp'];
      uses_left: number;
      /** @description `now >= expires_at` on the emulator clock. */
      expired: boolean;
    };
    DownloadUrlList: {
      items: components['schemas']['DownloadUrl'][];
      has_more: boolean;
      /** @description Present while `has_more`; pass it to read the next page. */
      page_token?: string;
    };
    RateLimitsState: {
      enabled: boolean;
    };
    JournalBody: {
      content_type?: string;
      /** @description Bytes on the wire (for a request, as declared). */
      size?: number;
      /** @description The parsed JSON body, credentials masked. */
      json?: unknown;
      /** @description A text body, or the start of a longer one. */
      text?: string;
      truncated?: boolean;
      parts?: {
        name: string;
        filename?: string;
        size: number;
        content_type?: string;
      }[];
    };
    JournalExchange: {
      /** @description Lower-case names; credentials masked as `***`. */
      headers: {
        [key: string]: string;
      };
      body?: components['schemas']['JournalBody'];
    };
    DetailedJournalEntry: components['schemas']['JournalEntry'] & {
      /** @description Present once the call has ended. */
      detail?: {
        request: components['schemas']['JournalExchange'];
        response: components['schemas']['JournalExchange'];
      };
    };
    InspectedAttachment: {
      guid: string;
      name: string;
      size: number;
      content_type: string;
      uploader: string;
      uploaded_at: components['schemas']['Timestamp'];
    };
    InspectedState: {
      apps: components['schemas']['App'][];
      users: components['schemas']['User'][];
      tasks: {
        guid: string;
        task_id: string;
        summary: string;
        description: string;
        creator: string;
        members: {
          key: string;
          role: string;
        }[];
        /** @enum {string} */
        status: 'todo' | 'done';
        /** @description When it was completed; 0 while it is not. */
        completed_at: components['schemas']['Timestamp'];
        /** @description The due time, when set. */
        due?: components['schemas']['Timestamp'];
        /** @description The start time, when set. */
        start?: components['schemas']['Timestamp'];
        /** @description Set on a subtask. */
        parent_task_guid?: string;
        subtask_count: number;
        created_at: components['schemas']['Timestamp'];
        updated_at: components['schemas']['Timestamp'];
        attachments: components['schemas']['InspectedAttachment'][];
      }[];
    };
    OperationList: {
      items: string[];
    };
    /** @description `default` for the sandbox every emulator starts with; `sb` and 10 lower-case letters or digits for the others. */
    SandboxId: string;
    SandboxRequest: {
      /** @description A label for people, e.g. the test file that made it. */
      name?: string;
      /** @description Its app's id; generated (`cli_` and 16 hex digits) when omitted. Unique across sandboxes. */
      app_id?: string;
      /** @description Its app's secret; generated when omitted. */
      app_secret?: string;
    };
    Sandbox: {
      id: components['schemas']['SandboxId'];
      /** @description The label it was created with, if any. */
      name?: string;
      /** @description Whether it is the sandbox every emulator starts with. */
      default: boolean;
      /** @description Milliseconds since the epoch, on the wall clock. */
      created_at: number;
      /** @description Its app's id: credentials of that app reach this sandbox. */
      app_id: string;
      /** @description Its control base, `<publicUrl>/__mock/sandboxes/<id>`: every `/__mock` route under it works on this sandbox alone. */
      control_url: string;
    };
    CreatedSandbox: components['schemas']['Sandbox'] & {
      /** @description Its app's secret: given in this answer only. */
      app_secret: string;
    };
    SandboxList: {
      /** @description The default sandbox first, then the others oldest first. */
      items: components['schemas']['Sandbox'][];
      /** @description How many sandboxes besides the default one may live at once (`--max-sandboxes`). */
      limit: number;
    };
    DeletedSandbox: {
      id: components['schemas']['SandboxId'];
      /** @constant */
      deleted: true;
    };
  };
  responses: {
    /** @description The body or query did not match the operation's schema (or was no JSON), a path parameter was malformed, or the body named a user that does not exist. */
    BadRequest: {
      headers: {
        /** @description The same value as `error.log_id`. */
        'X-Tt-Logid'?: string;
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": 1470400,
         *       "msg": "Invalid control-plane request: open_id: Invalid input: expected string, received undefined",
         *       "error": {
         *         "log_id": "2026010100000089C1042F779606C5BCA5"
         *       }
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The emulator has a control token (`--control-token`, or one it generated because it listens beyond loopback) and the call did not carry it as `Authorization: Bearer <token>` or the inspector cookie. */
    Unauthorized: {
      headers: {
        /** @description `Bearer realm="mock-feishu control plane"` */
        'WWW-Authenticate'?: string;
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": 99991661,
         *       "msg": "The control plane needs its control token: send Authorization: Bearer <control token>.",
         *       "error": {
         *         "log_id": "2026010100000089C1042F779606C5BCA5"
         *       }
         *     }
         */
        'application/json': components['schemas']['FeishuError'];
      };
    };
    /** @description A browser sent an `Origin` that is not the emulator's own (a page on another site, or `null`). Scripts, SDKs and curl send no `Origin`. */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": 99992402,
         *       "msg": "Forbidden: requests from web pages of another origin are refused (Origin 'https://example.com'). Scripts, SDKs and curl send no Origin; the inspector page is served from the emulator itself.",
         *       "error": {
         *         "log_id": "2026010100000089C1042F779606C5BCA5"
         *       }
         *     }
         */
        'application/json': components['schemas']['FeishuError'];
      };
    };
    /** @description Nothing with that id or guid (any more). */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": 1470404,
         *       "msg": "The attachment does not exist or has been deleted.",
         *       "error": {
         *         "log_id": "2026010100000089C1042F779606C5BCA5"
         *       }
         *     }
         */
        'application/json': components['schemas']['FeishuError'];
      };
    };
    /** @description An app or user with that id exists (send `"replace": true` to overwrite it); or, creating a sandbox, its `app_id` is held by another sandbox or `--max-sandboxes` sandboxes are live. */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": 1470400,
         *       "msg": "Conflict: app_id cli_reader already exists; send \"replace\": true to overwrite it.",
         *       "error": {
         *         "log_id": "2026010100000089C1042F779606C5BCA5"
         *       }
         *     }
         */
        'application/json': components['schemas']['FeishuError'];
      };
    };
    /** @description The call sent a body that is not `application/json` (a form, `text/plain`): control calls take a JSON body or none. */
    UnsupportedMediaType: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": 1470400,
         *       "msg": "Unsupported Media Type: control-plane calls take an application/json body (or none).",
         *       "error": {
         *         "log_id": "2026010100000089C1042F779606C5BCA5"
         *       }
         *     }
         */
        'application/json': components['schemas']['FeishuError'];
      };
    };
    /** @description The emulator listens on loopback and the `Host` was neither a loopback name nor its public URL's host (a page on another site, or DNS rebinding). */
    MisdirectedRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": 99992402,
         *       "msg": "Misdirected request: this emulator listens on loopback and answers only loopback names and its public URL's host, not Host 'rebound.example' (a page on another site, or DNS rebinding).",
         *       "error": {
         *         "log_id": "2026010100000089C1042F779606C5BCA5"
         *       }
         *     }
         */
        'application/json': components['schemas']['FeishuError'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The emulator is up. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "ok",
           *       "now": 1767225600000
           *     }
           */
          'application/json': components['schemas']['Health'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  reset: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        /**
         * @example {
         *       "keepTokens": true
         *     }
         */
        'application/json': components['schemas']['ResetRequest'];
      };
    };
    responses: {
      /** @description State was reset. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "now": 1767225600000,
           *       "frozen": false
           *     }
           */
          'application/json': components['schemas']['ClockState'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  getClock: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The current time. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "now": 1767225600000,
           *       "frozen": false
           *     }
           */
          'application/json': components['schemas']['ClockState'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  setClock: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "advanceMs": 180000
         *     }
         */
        'application/json': components['schemas']['ClockChange'];
      };
    };
    responses: {
      /** @description The time after the change. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "now": 1767225780000,
           *       "frozen": false
           *     }
           */
          'application/json': components['schemas']['ClockState'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  createApp: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "app_id": "cli_reader",
         *       "app_secret": "reader_secret",
         *       "scopes": [
         *         "task:attachment:read"
         *       ]
         *     }
         */
        'application/json': components['schemas']['AppRequest'];
      };
    };
    responses: {
      /** @description The app as registered. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "app_id": "cli_reader",
           *       "scopes": [
           *         "task:attachment:read"
           *       ]
           *     }
           */
          'application/json': components['schemas']['App'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      409: components['responses']['Conflict'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  createUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Alice"
         *     }
         */
        'application/json': components['schemas']['UserRequest'];
      };
    };
    responses: {
      /** @description The user with all three ids. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "name": "Alice",
           *       "open_id": "ou_7d8a6e6df7621556ce0d21922b676706",
           *       "union_id": "on_8ed6aa67826108097d9ee143816345b7",
           *       "user_id": "b79da61f"
           *     }
           */
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      409: components['responses']['Conflict'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  createUserAccessToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "open_id": "ou_7d8a6e6df7621556ce0d21922b676706",
         *       "scopes": [
         *         "task:attachment:read"
         *       ]
         *     }
         */
        'application/json': components['schemas']['CredentialRequest'];
      };
    };
    responses: {
      /** @description The issued tokens. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "access_token": "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJvdV83ZDhhNmU2ZGY3NjIxNTU2Y2UwZDIxOTIyYjY3NjcwNiJ9.Qm9hcmRHYW1lc0FyZUZ1bkFuZFRoZXlBcmVGcmVlMTIz",
           *       "expires_in": 7200,
           *       "refresh_token": "ur-Z2l0aHViLmNvbS9mZWlzaHUtYXR0YWNobWVudHMvbW9jaw",
           *       "refresh_token_expires_in": 604800,
           *       "scope": "task:attachment:read",
           *       "token_type": "Bearer"
           *     }
           */
          'application/json': components['schemas']['UserAccessToken'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  createAuthorizationCode: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "open_id": "ou_7d8a6e6df7621556ce0d21922b676706"
         *     }
         */
        'application/json': components['schemas']['CredentialRequest'];
      };
    };
    responses: {
      /** @description The code. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "code": "9neKN6QYJBOK7GSwJ5IAdxjARVEvjK4v"
           *     }
           */
          'application/json': components['schemas']['AuthorizationCode'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  seedTask: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "summary": "Quarterly report",
         *       "creator_open_id": "ou_7d8a6e6df7621556ce0d21922b676706",
         *       "members": [
         *         {
         *           "open_id": "ou_0a6ab4c1a5e1b0c48bd3a0b4c4bb2d51",
         *           "role": "assignee"
         *         }
         *       ],
         *       "due": {
         *         "timestamp": "1767225600000",
         *         "is_all_day": false
         *       },
         *       "reminders": [
         *         {
         *           "relative_fire_minute": 30
         *         }
         *       ],
         *       "extra": "{\"ticket\":\"OPS-1\"}",
         *       "attachments": [
         *         {
         *           "name": "notes.txt",
         *           "content": "hello"
         *         },
         *         {
         *           "name": "pixel.png",
         *           "content": "iVBORw0KGgo=",
         *           "encoding": "base64",
         *           "content_type": "image/png"
         *         }
         *       ]
         *     }
         */
        'application/json': components['schemas']['SeedTaskRequest'];
      };
    };
    responses: {
      /** @description The task's guid and the stored attachments, in the order given. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "task_guid": "556de70c-b1ae-4a47-97a9-797546760e92",
           *       "attachments": [
           *         {
           *           "guid": "76321cd0-8ea4-4fa8-a672-b474a6f162e4",
           *           "name": "notes.txt",
           *           "size": 5
           *         },
           *         {
           *           "guid": "0c6b1f9e-2f44-4a0e-9d61-5d1a0f0b8e11",
           *           "name": "pixel.png",
           *           "size": 8
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['SeededTask'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  listFaults: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Rules in the order they are tried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": [
           *         {
           *           "id": 2,
           *           "method": "GET",
           *           "path": "/open-apis/task/v2/attachments/*",
           *           "remaining": 1,
           *           "action": {
           *             "drop": true
           *           }
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['FaultList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  addFault: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "operation": "attachment.list",
         *       "times": 2,
         *       "error": {
         *         "status": 500,
         *         "code": 1470500,
         *         "msg": "Internal server error, please retry."
         *       }
         *     }
         */
        'application/json': components['schemas']['FaultRequest'];
      };
    };
    responses: {
      /** @description The stored rule. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": 1,
           *       "operation": "attachment.list",
           *       "remaining": 2,
           *       "action": {
           *         "error": {
           *           "status": 500,
           *           "code": 1470500,
           *           "msg": "Internal server error, please retry."
           *         }
           *       }
           *     }
           */
          'application/json': components['schemas']['FaultRule'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  clearFaults: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No rules remain. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": []
           *     }
           */
          'application/json': components['schemas']['FaultList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  listRequests: {
    parameters: {
      query?: {
        /** @description Exact operation name, e.g. `attachment.list`. */
        operation?: string;
        /** @description HTTP method, any case. */
        method?: string;
        /** @description Exact request path, without the query string (no wildcards). */
        path?: string;
        /** @description Keep only the newest N matching entries. */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Matching entries, oldest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": [
           *         {
           *           "id": 7,
           *           "at": 1767225600123,
           *           "method": "GET",
           *           "path": "/open-apis/task/v2/attachments",
           *           "query": {
           *             "resource_id": "556de70c-b1ae-4a47-97a9-797546760e92",
           *             "page_size": "2"
           *           },
           *           "status": 200,
           *           "code": 0,
           *           "operation": "attachment.list",
           *           "caller": "app:cli_mock_app",
           *           "log_id": "20260101000000D07AA636C95EC369E56E",
           *           "duration_ms": 1.34,
           *           "completed": true
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['JournalList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  clearRequests: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The journal is empty. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": []
           *     }
           */
          'application/json': components['schemas']['JournalList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  removeFault: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The rule's `id`, as `POST /__mock/faults` answered it. */
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rules still armed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": []
           *     }
           */
          'application/json': components['schemas']['FaultList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  getRequest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The entry's `id`. */
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The entry. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": 7,
           *       "at": 1767225600000,
           *       "method": "GET",
           *       "path": "/open-apis/task/v2/attachments",
           *       "query": {
           *         "resource_type": "task",
           *         "resource_id": "556de70c-b1ae-4a47-97a9-797546760e92"
           *       },
           *       "status": 500,
           *       "code": 1470500,
           *       "operation": "attachment.list",
           *       "log_id": "2026010100000089C1042F779606C5BCA5",
           *       "duration_ms": 1.2,
           *       "completed": true,
           *       "detail": {
           *         "request": {
           *           "headers": {
           *             "authorization": "Bearer ***",
           *             "accept": "application/json"
           *           }
           *         },
           *         "response": {
           *           "headers": {
           *             "content-type": "application/json; charset=utf-8",
           *             "x-tt-logid": "2026010100000089C1042F779606C5BCA5"
           *           },
           *           "body": {
           *             "content_type": "application/json; charset=utf-8",
           *             "size": 88,
           *             "json": {
           *               "code": 1470500,
           *               "msg": "injected fault",
           *               "error": {
           *                 "log_id": "2026010100000089C1042F779606C5BCA5"
           *               }
           *             }
           *           }
           *         }
           *       }
           *     }
           */
          'application/json': components['schemas']['DetailedJournalEntry'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  listDownloadUrls: {
    parameters: {
      query?: {
        page_size?: number;
        /** @description The `page_token` of the previous page, with the same `order`. */
        page_token?: string;
        order?: 'asc' | 'desc';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of issued URLs, oldest first unless `order=desc`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": [
           *         {
           *           "url": "http://127.0.0.1:3100/download/authcode/?code=NhE2W2MLKk_NnkeqRXUiWytoXlmiWeK8",
           *           "attachment_guid": "76321cd0-8ea4-4fa8-a672-b474a6f162e4",
           *           "issued_at": 1767225600000,
           *           "expires_at": 1767225780000,
           *           "uses_left": 2,
           *           "expired": false
           *         }
           *       ],
           *       "has_more": false
           *     }
           */
          'application/json': components['schemas']['DownloadUrlList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  getRateLimits: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The switch. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "enabled": true
           *     }
           */
          'application/json': components['schemas']['RateLimitsState'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  setRateLimits: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "enabled": false
         *     }
         */
        'application/json': components['schemas']['RateLimitsState'];
      };
    };
    responses: {
      /** @description The switch after the change. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "enabled": false
           *     }
           */
          'application/json': components['schemas']['RateLimitsState'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  exportSnapshot: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The snapshot. `X-Mock-Feishu-Attachments` says how many attachments it holds. */
      200: {
        headers: {
          'X-Mock-Feishu-Attachments'?: number;
          [name: string]: unknown;
        };
        content: {
          /** @example SQLite format 3 (binary) */
          'application/vnd.sqlite3': string;
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  getState: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The state. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "apps": [
           *         {
           *           "app_id": "cli_mock_app",
           *           "scopes": [
           *             "task:attachment:read"
           *           ]
           *         }
           *       ],
           *       "users": [
           *         {
           *           "name": "Alice",
           *           "open_id": "ou_alice",
           *           "union_id": "on_alice",
           *           "user_id": "u_alice"
           *         }
           *       ],
           *       "tasks": [
           *         {
           *           "guid": "556de70c-b1ae-4a47-97a9-797546760e92",
           *           "task_id": "t100001",
           *           "summary": "Demo task",
           *           "description": "",
           *           "creator": "app:cli_mock_app",
           *           "members": [
           *             {
           *               "key": "user:ou_alice",
           *               "role": "assignee"
           *             }
           *           ],
           *           "status": "todo",
           *           "completed_at": 0,
           *           "due": 1767312000000,
           *           "subtask_count": 0,
           *           "created_at": 1767225600000,
           *           "updated_at": 1767225600000,
           *           "attachments": [
           *             {
           *               "guid": "76321cd0-8ea4-4fa8-a672-b474a6f162e4",
           *               "name": "notes.txt",
           *               "size": 5,
           *               "content_type": "text/plain",
           *               "uploader": "app:cli_mock_app",
           *               "uploaded_at": 1767225600000
           *             }
           *           ]
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['InspectedState'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  listOperations: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Names, sorted. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": [
           *         "attachment.list",
           *         "attachment.upload",
           *         "download"
           *       ]
           *     }
           */
          'application/json': components['schemas']['OperationList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  createDownloadUrl: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        attachment_guid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The new URL. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "url": "http://127.0.0.1:3100/download/authcode/?code=OTdhZjQ4Y2E",
           *       "attachment_guid": "76321cd0-8ea4-4fa8-a672-b474a6f162e4",
           *       "issued_at": 1767225600000,
           *       "expires_at": 1767225780000,
           *       "uses_left": 3,
           *       "expired": false
           *     }
           */
          'application/json': components['schemas']['DownloadUrl'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  deleteAttachment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        attachment_guid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The deleted attachment. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "guid": "76321cd0-8ea4-4fa8-a672-b474a6f162e4",
           *       "name": "notes.txt",
           *       "size": 5,
           *       "content_type": "text/plain",
           *       "uploader": "app:cli_mock_app",
           *       "uploaded_at": 1767225600000
           *     }
           */
          'application/json': components['schemas']['InspectedAttachment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  listSandboxes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every live sandbox and the limit on them. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "items": [
           *         {
           *           "id": "default",
           *           "default": true,
           *           "created_at": 1767225000000,
           *           "app_id": "cli_mock_app",
           *           "control_url": "http://127.0.0.1:3100/__mock/sandboxes/default"
           *         },
           *         {
           *           "id": "sb4k2m9x0q7z",
           *           "name": "checkout-tests",
           *           "default": false,
           *           "created_at": 1767225600000,
           *           "app_id": "cli_checkout_tests",
           *           "control_url": "http://127.0.0.1:3100/__mock/sandboxes/sb4k2m9x0q7z"
           *         }
           *       ],
           *       "limit": 64
           *     }
           */
          'application/json': components['schemas']['SandboxList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  createSandbox: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        /**
         * @example {
         *       "name": "checkout-tests",
         *       "app_id": "cli_checkout_tests",
         *       "app_secret": "checkout_secret"
         *     }
         */
        'application/json': components['schemas']['SandboxRequest'];
      };
    };
    responses: {
      /** @description The new sandbox, with its app secret. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "sb4k2m9x0q7z",
           *       "name": "checkout-tests",
           *       "default": false,
           *       "created_at": 1767225600000,
           *       "app_id": "cli_checkout_tests",
           *       "control_url": "http://127.0.0.1:3100/__mock/sandboxes/sb4k2m9x0q7z",
           *       "app_secret": "checkout_secret"
           *     }
           */
          'application/json': components['schemas']['CreatedSandbox'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      409: components['responses']['Conflict'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  getSandbox: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The sandbox's `id`, as `POST /__mock/sandboxes` answered it, or `default`. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The sandbox. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "sb4k2m9x0q7z",
           *       "name": "checkout-tests",
           *       "default": false,
           *       "created_at": 1767225600000,
           *       "app_id": "cli_checkout_tests",
           *       "control_url": "http://127.0.0.1:3100/__mock/sandboxes/sb4k2m9x0q7z"
           *     }
           */
          'application/json': components['schemas']['Sandbox'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  deleteSandbox: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The sandbox's `id`, as `POST /__mock/sandboxes` answered it, or `default`. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The sandbox is gone. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "sb4k2m9x0q7z",
           *       "deleted": true
           *     }
           */
          'application/json': components['schemas']['DeletedSandbox'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      415: components['responses']['UnsupportedMediaType'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
  getOpenApiDocument: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The OpenAPI 3.1 document as YAML. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example openapi: 3.1.0
           *     info:
           *       title: mock-feishu control plane
           */
          'application/yaml': string;
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      421: components['responses']['MisdirectedRequest'];
    };
  };
}

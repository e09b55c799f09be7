namespace CouponDesk.Shared.Snap;

/// <summary>
/// The agent's send table <c>UMS_MSG</c> and its month tables <c>UMS_LOG_YYYYMM</c>, column for column as
/// spec/snap-agent.md §2.1–§2.2 define them: no defaults (a client that forgets a column fails here as it could fail
/// against the agent's own table), the agent's index names. Used by the back office's migration (dev/test databases)
/// and by the agent stand-in, so both create exactly the same tables.
/// </summary>
public static class UmsTableDdl
{
    public const string DefaultSendTable = "UMS_MSG";
    public const string DefaultLogTablePrefix = "UMS_LOG_";

    /// <summary>Every column, in the manual's order (the log tables copy whole rows, so the order matters there).</summary>
    public const string Columns = """
          CLIENT_KEY          VARCHAR(40)   NOT NULL,
          REQ_CH              VARCHAR(10)   NOT NULL,
          TRAFFIC_TYPE        VARCHAR(10)   NULL,
          MSG_STATUS          VARCHAR(10)   NOT NULL,
          REQ_DATE            DATETIME      NOT NULL,
          CALLBACK_NUMBER     VARCHAR(16)   NOT NULL,
          KISA_ORIGCODE       VARCHAR(20)   NULL,
          CAMPAIGN_ID         VARCHAR(20)   NULL,
          DEPT_CODE           VARCHAR(20)   NULL,
          PHONE               VARCHAR(16)   NULL,
          MSG                 VARCHAR(2000) NULL,
          TITLE               VARCHAR(100)  NULL,
          TEMPLATE_CODE       VARCHAR(20)   NULL,
          MERGE_DATA          VARCHAR(2000) NULL,
          FILE_DATA           VARCHAR(1000) NULL,
          MMS_FILE_LIST       VARCHAR(450)  NULL,
          FB_CH               VARCHAR(10)   NULL,
          FB_MSG              VARCHAR(4000) NULL,
          FB_TITLE            VARCHAR(100)  NULL,
          FB_FILE_LIST        VARCHAR(450)  NULL,
          RCS_MSGBASE_ID      VARCHAR(40)   NULL,
          RCS_HEADER          VARCHAR(1)    NULL,
          RCS_FOOTER          VARCHAR(16)   NULL,
          RCS_COPY_ALLOWED_YN VARCHAR(1)    NULL,
          RCS_EXPIRY_OPTION   VARCHAR(1)    NULL,
          RCS_AGENCY_ID       VARCHAR(20)   NULL,
          RCS_AGENCY_KEY      VARCHAR(20)   NULL,
          RCS_BRAND_KEY       VARCHAR(20)   NULL,
          RCS_BUTTON          VARCHAR(1000) NULL,
          KAKAO_CH_ID         VARCHAR(65)   NULL,
          KAKAO_TEMPLATE_CODE VARCHAR(20)   NULL,
          KAKAO_BUTTON        VARCHAR(1000) NULL,
          KAKAO_IMAGE_WIDE_YN VARCHAR(1)    NULL,
          KAKAO_IMAGE_URL     VARCHAR(150)  NULL,
          KAKAO_IMAGE_LINK    VARCHAR(150)  NULL,
          KAKAO_FILE          VARCHAR(150)  NULL,
          KAKAO_AD_FLAG       VARCHAR(1)    NULL,
          KAKAO_GROUP_KEY     VARCHAR(100)  NULL,
          PUSH_APP_ID         VARCHAR(255)  NULL,
          PUSH_PROVIDER       VARCHAR(20)   NULL,
          PUSH_APP_USER_ID    VARCHAR(20)   NULL,
          PUSH_FILE           VARCHAR(150)  NULL,
          PUSH_EXT            VARCHAR(1000) NULL,
          ROUTE_INFO          VARCHAR(20)   NULL,
          SENT_DATE           DATETIME      NULL,
          DONE_CH             VARCHAR(10)   NULL,
          DONE_PRODUCT        VARCHAR(10)   NULL,
          DONE_DATE           DATETIME      NULL,
          DONE_CODE           VARCHAR(10)   NULL,
          DONE_CODE_DESC      VARCHAR(200)  NULL,
          DONE_FB_DETAIL      VARCHAR(1000) NULL,
          DONE_TELCO          VARCHAR(10)   NULL,
          ETC1                VARCHAR(50)   NULL,
          ETC2                VARCHAR(50)   NULL,
          ETC3                VARCHAR(50)   NULL,
          ETC4                VARCHAR(50)   NULL,
          ETC5                VARCHAR(50)   NULL,
          ETC6                VARCHAR(50)   NULL
        """;

    /// <summary>The column names alone, comma-separated in table order (for INSERT … SELECT when a row is moved).</summary>
    public static readonly string ColumnNames = string.Join(", ",
        Columns.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2)[0]));

    public static string CreateSendTable(string table) => $"""
        CREATE TABLE IF NOT EXISTS {Quote(table)} (
        {Columns},
          PRIMARY KEY (CLIENT_KEY),
          KEY ums_msg_IDX1 (MSG_STATUS, REQ_CH, TRAFFIC_TYPE, REQ_DATE),
          KEY ums_msg_IDX2 (PHONE),
          KEY ums_msg_IDX3 (DONE_CODE, REQ_DATE)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """;

    /// <summary>A month table as the agent creates it: same columns, the agent's two indexes, no primary key.</summary>
    public static string CreateLogTable(string table) => $"""
        CREATE TABLE IF NOT EXISTS {Quote(table)} (
        {Columns},
          KEY ums_log_IDX1 (PHONE),
          KEY ums_log_IDX2 (DONE_CODE, REQ_DATE)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """;

    /// <summary>CouponDesk's helper index on a month table (spec/snap-agent.md §2.2 (d)).</summary>
    public const string KeyIndex = "CD_IDX_CLIENT_KEY";

    /// <summary>
    /// A month table as CouponDesk prepares it ahead of the agent: the agent's columns, in order, and its two indexes,
    /// plus an INVISIBLE auto-increment primary key (Galera needs a primary key on every table; an invisible column is
    /// left out of <c>SELECT *</c> and of an INSERT without a column list, so the agent's whole-row copy is unchanged and
    /// duplicate CLIENT_KEY rows stay possible, as §2.2 expects) and our helper index, so nothing is altered later.
    /// </summary>
    public static string CreatePreparedLogTable(string table) => $"""
        CREATE TABLE IF NOT EXISTS {Quote(table)} (
        {Columns},
          CD_ROW_ID           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE,
          PRIMARY KEY (CD_ROW_ID),
          KEY ums_log_IDX1 (PHONE),
          KEY ums_log_IDX2 (DONE_CODE, REQ_DATE),
          KEY {KeyIndex} (CLIENT_KEY)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """;

    /// <summary><c>UMS_LOG_</c> + yyyyMM.</summary>
    public static string LogTableName(string prefix, int year, int month) => $"{prefix}{year:D4}{month:D2}";

    /// <summary>Table names are configuration, never user input; still refuse anything but a plain identifier.</summary>
    public static bool IsPlainIdentifier(string name) =>
        name.Length is > 0 and <= 50 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static string Quote(string table) =>
        IsPlainIdentifier(table) ? $"`{table}`" : throw new ArgumentException($"not a plain table name: {table}", nameof(table));
}

using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Snap;

namespace CouponDesk.Integrations.Snap;

/// <summary>Settings of the hand-off to LG U+'s SNAP Agent (section <c>Snap</c>; spec/snap-agent.md).</summary>
public sealed class SnapOptions
{
    public const string Section = "Snap";

    /// <summary>Where CouponDesk writes staged MMS images (a directory shared with the agent).</summary>
    [Required]
    public string ImageDirectory { get; set; } = "";

    /// <summary>The same directory as the agent sees it (prefix written into <c>MMS_FILE_LIST</c>); empty = same path.</summary>
    public string AgentImageDirectory { get; set; } = "";

    /// <summary>The default sender number (digits); registered in <c>sender_numbers</c> at start when <see cref="SeedCallbackNumber"/>.</summary>
    [RegularExpression("^[0-9]{8,11}$|^$", ErrorMessage = "must be 8–11 digits")]
    public string CallbackNumber { get; set; } = "";

    /// <summary>Development set-up: register <see cref="CallbackNumber"/> as an active sender number at start.</summary>
    public bool SeedCallbackNumber { get; set; }

    /// <summary>Create <c>UMS_MSG</c> in our migrations (dev/test). Off in production, where the agent created its tables.</summary>
    public bool CreateAgentTables { get; set; } = true;

    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,49}$", ErrorMessage = "must be a plain table name")]
    public string SendTable { get; set; } = UmsTableDdl.DefaultSendTable;

    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,40}$", ErrorMessage = "must be a plain table-name prefix")]
    public string LogTablePrefix { get; set; } = UmsTableDdl.DefaultLogTablePrefix;

    /// <summary>Add our helper index <c>CD_IDX_CLIENT_KEY</c> to month tables the agent created (§2.2 (d); confirm with LG U+); done by the hourly month-table job, never by a read.</summary>
    public bool IndexLogTables { get; set; } = true;

    /// <summary>Create the current and next month's <c>UMS_LOG_YYYYMM</c> ahead of the agent, with a primary key and our index (Galera needs a primary key on every table; confirm with LG U+ that the agent uses a table it finds).</summary>
    public bool PrepareLogTables { get; set; } = true;

    /// <summary><c>TRAFFIC_TYPE</c>: must be a line type the agent has a line for, or rows are never picked up (§4).</summary>
    [RegularExpression("^(normal|real|batch)$", ErrorMessage = "must be normal, real or batch")]
    public string TrafficType { get; set; } = "normal";

    /// <summary>One letter in every CLIENT_KEY naming the environment (P, S, T, D…), so keys never collide across them.</summary>
    [RegularExpression("^[A-Z]$", ErrorMessage = "must be one upper-case letter")]
    public string EnvironmentLetter { get; set; } = "D";

    /// <summary><c>ETC6</c>: environment tag, detects a mis-pointed agent or a shared database (§11).</summary>
    [RegularExpression("^[a-z0-9]{1,10}$", ErrorMessage = "must be 1–10 lower-case letters or digits")]
    public string EnvironmentTag { get; set; } = "dev";

    /// <summary>Minutes between UTC and the database's <c>NOW()</c>; reservations are refused unless they match (§5).</summary>
    [Range(-720, 840)]
    public int AgentUtcOffsetMinutes { get; set; } = 540;

    /// <summary>Result sync interval (spec §5.5: 180 s).</summary>
    [Range(5, 3600)]
    public int ResultSyncSeconds { get; set; } = 180;

    /// <summary>No result this long after <c>REQ_DATE</c> → RESULT_TIMEOUT (spec §5.5: 24 h).</summary>
    [Range(1, 240)]
    public int ResultTimeoutHours { get; set; } = 24;

    /// <summary>Staged images are deleted this many days after their message's result was stored (spec §5.8: 7).</summary>
    [Range(0, 90)]
    public int ImageRetentionDays { get; set; } = 7;

    public string AgentImageRoot => string.IsNullOrEmpty(AgentImageDirectory) ? ImageDirectory : AgentImageDirectory;
}

using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Hosting;
using CouponDesk.Shared.Snap;

namespace CouponDesk.SnapStandIn;

/// <summary>
/// The stand-in's settings (section <c>Agent</c>). Choices the real agent leaves unknown are marked [S] in
/// spec/snap-agent.md §15 and are configurable here.
/// </summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>The database holding <c>UMS_MSG</c> — the back office's own database (the agent polls OUR table).</summary>
    [Required]
    [Secret]
    public string ConnectionString { get; set; } = "";

    /// <summary>The agent's home: copies of sent images go to <c>{Home}/yyyymmdd/</c> (KST date of sending).</summary>
    [Required]
    public string Home { get; set; } = "";

    [Range(10, 60_000)]
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>Messages per second handed to the "gateway" (the agent's <c>tps</c>, default 50).</summary>
    [Range(1, 1_000_000)]
    public int Tps { get; set; } = 50;

    /// <summary><c>REQ_CH</c> values polled; anything else stays <c>ready</c> for ever, as with the real agent.</summary>
    public string[] Channels { get; set; } = ["MMS"];

    /// <summary><c>TRAFFIC_TYPE</c> lines configured; a NULL or other type is never picked up.</summary>
    public string[] LineTypes { get; set; } = ["normal"];

    /// <summary>Delivery delay after <c>request</c>, spread evenly per message between min and max (default 1–5 s).</summary>
    [Range(0, 3_600_000)]
    public int DeliveryDelayMinMs { get; set; } = 1000;

    [Range(0, 3_600_000)]
    public int DeliveryDelayMaxMs { get; set; } = 5000;

    /// <summary>Share of otherwise successful messages failed with one of <see cref="FailureCodes"/> (0–1).</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }

    public string[] FailureCodes { get; set; } = ["31107", "31108", "31112"];

    /// <summary><c>DONE_TELCO</c> values, picked per message.</summary>
    public string[] Telcos { get; set; } = ["LGU"];

    /// <summary>Sender numbers registered "with LG U+"; any other <c>CALLBACK_NUMBER</c> fails with 22002.</summary>
    public string[] RegisteredCallbackNumbers { get; set; } = [];

    /// <summary>
    /// Deterministic results by recipient prefix (digits), so a test can aim a result at a chosen recipient. The value is a
    /// DONE_CODE, <c>none</c> for a message that never gets a result (stays <c>request</c>), or <c>CODE:N</c> to fail only the
    /// first N messages to each number (010-0996: 31112 once, then success — a resend that works). Defaults cover
    /// 010-0990…010-0996; test numbers are only 010-0000-xxxx … 010-0999-xxxx.
    /// </summary>
    public Dictionary<string, string> PhoneRules { get; set; } = new(StringComparer.Ordinal)
    {
        ["0100990"] = "31107",
        ["0100991"] = "31108",
        ["0100992"] = "31112",
        ["0100993"] = "31101",
        ["0100994"] = "24000",
        ["0100995"] = "none",
        ["0100996"] = "31112:1",
    };

    /// <summary>Which month table a finished row moves to: <c>move</c> (KST month of the move) or <c>req-date</c>.</summary>
    [RegularExpression("^(move|req-date)$")]
    public string LogMonth { get; set; } = "move";

    /// <summary>How long a <c>complete</c> row stays in <c>UMS_MSG</c> before it is moved.</summary>
    [Range(0, 3_600_000)]
    public int KeepCompleteMs { get; set; }

    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,49}$")]
    public string SendTable { get; set; } = UmsTableDdl.DefaultSendTable;

    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,40}$")]
    public string LogTablePrefix { get; set; } = UmsTableDdl.DefaultLogTablePrefix;

    /// <summary>Create <c>UMS_MSG</c> if missing (auto-creation, as the agent does).</summary>
    public bool CreateTables { get; set; } = true;

    /// <summary>Shuffle each polled batch: the agent has no ORDER BY, so nobody may rely on insertion order.</summary>
    public bool Shuffle { get; set; } = true;

    public bool StartPaused { get; set; }

    /// <summary>
    /// Test and demo seam (issue 22): the agent's clock runs this many seconds ahead of the database's <c>NOW()</c> —
    /// due checks, SENT/DONE dates and the month a finished row moves to — so a run can cross a KST midnight and a month
    /// change now. 0 (the default) is the real agent.
    /// </summary>
    [Range(-40_000_000, 40_000_000)]
    public int ClockOffsetSeconds { get; set; }
}

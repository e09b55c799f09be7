using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>MySqlConnector connection string to the CouponDesk database (which also holds the agent's tables).</summary>
    [Required]
    [Secret]
    public string ConnectionString { get; set; } = "";

    /// <summary>Run pending migrations when the process starts (the <c>migrate</c> command always does).</summary>
    public bool MigrateOnStart { get; set; } = true;
}

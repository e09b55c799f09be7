using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Users;

public sealed class PasswordHashingOptions
{
    public const string Section = "Security:PasswordHashing";

    /// <summary>bcrypt work factor; spec §2.3 asks for at least 11. Tests may lower it to keep the suite fast.</summary>
    [Range(4, 16)]
    public int WorkFactor { get; set; } = 12;
}

using System.Security.Cryptography;

namespace CouponDesk.Features.Users;

/// <summary>
/// Generates one-time passwords that satisfy the spec's rules (§2.2): 16 characters from all four classes, with no
/// run of identical or sequential characters. Ambiguous characters (0/O, 1/l/I) are left out because people type them.
/// </summary>
public static class PasswordGenerator
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Specials = "!@#$%^&*-_=+?";

    public static string Generate(int length = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 8);
        while (true)
        {
            var chars = new char[length];
            string[] classes = [Upper, Lower, Digits, Specials];
            for (var i = 0; i < length; i++)
            {
                // The first four positions guarantee one of each class; the rest are drawn from all of them.
                var set = i < classes.Length ? classes[i] : string.Concat(classes);
                chars[i] = set[RandomNumberGenerator.GetInt32(set.Length)];
            }

            RandomNumberGenerator.Shuffle(chars.AsSpan());
            var candidate = new string(chars);
            // The policy itself decides (it compares case-insensitively, so "aAaA" is a run there).
            if (PasswordPolicy.Check(candidate, string.Empty) is null)
            {
                return candidate;
            }
        }
    }

    /// <summary>Three steps of identical or sequential characters, i.e. four characters like <c>1111</c> or <c>abcd</c>.</summary>
    public static bool HasRun(string value, int runLength = 4)
    {
        int same = 1, up = 1, down = 1;
        for (var i = 1; i < value.Length; i++)
        {
            var delta = value[i] - value[i - 1];
            same = delta == 0 ? same + 1 : 1;
            up = delta == 1 ? up + 1 : 1;
            down = delta == -1 ? down + 1 : 1;
            if (same >= runLength || up >= runLength || down >= runLength)
            {
                return true;
            }
        }

        return false;
    }
}

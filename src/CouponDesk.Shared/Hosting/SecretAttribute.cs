namespace CouponDesk.Shared.Hosting;

/// <summary>
/// Marks a setting that holds a secret. Development defaults for secrets contain <see cref="DevelopmentPrefix"/>
/// and are refused at start-up when the environment is Production.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute
{
    public const string DevelopmentPrefix = "dev-only-";
}

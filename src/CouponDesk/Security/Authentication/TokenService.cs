using System.Globalization;
using CouponDesk.Security.Pii;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CouponDesk.Security.Authentication;

/// <summary>
/// Issues and describes the access tokens. A token carries only the user id and the server-side session id; the role,
/// the account state and the timeouts come from the session row at every request, so revocation is immediate.
/// </summary>
public sealed class TokenService
{
    public const string SessionClaim = "sid";

    private readonly JwtOptions options;
    private readonly SymmetricSecurityKey[] keys;
    private readonly SymmetricSecurityKey activeKey;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TokenService(JwtOptions options)
    {
        this.options = options;
        keys = options.SigningKeys
            .Select(k => new SymmetricSecurityKey(KeyMaterial.TryDecode(k.Value, out var bytes) ? bytes : throw new InvalidOperationException($"Security:Jwt:SigningKeys:{k.Key} is not a 32-byte key")) { KeyId = k.Key })
            .ToArray();
        activeKey = keys.Single(k => k.KeyId == options.ActiveKeyId);
    }

    public string Issue(string sessionId, long userId, DateTime issuedAtUtc, DateTime expiresUtc) => handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = options.Issuer,
        Audience = options.Audience,
        IssuedAt = issuedAtUtc,
        NotBefore = issuedAtUtc,
        Expires = expiresUtc,
        Claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = userId.ToString(CultureInfo.InvariantCulture),
            [SessionClaim] = sessionId,
        },
        SigningCredentials = new SigningCredentials(activeKey, SecurityAlgorithms.HmacSha256),
    });

    /// <summary>Signature, issuer, audience, algorithm and expiry, with "now" from <paramref name="time"/> and no clock skew.</summary>
    public TokenValidationParameters ValidationParameters(TimeProvider time) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKeys = keys,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } end && now < end && (notBefore is not { } start || now >= start.AddSeconds(-5));
        },
    };
}

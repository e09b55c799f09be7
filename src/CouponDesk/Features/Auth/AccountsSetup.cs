using CouponDesk.Features.Audit;
using CouponDesk.Features.Privacy;
using CouponDesk.Features.Users;
using CouponDesk.Hosting;
using CouponDesk.Security.Authentication;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Auth;

/// <summary>
/// Accounts, sessions, audit trail, PII key management and purge (issue 3): one registration for the host.
/// The authentication scheme and policies themselves are in <see cref="AuthorizationSetup.AddCouponDeskAuthorization"/>.
/// </summary>
public static class AccountsSetup
{
    public static IServiceCollection AddAccountsAndAudit(this IServiceCollection services, IConfiguration configuration)
    {
        EncryptedStringTypeHandler.Register();
        services.AddSettings<JwtOptions>(configuration, JwtOptions.Section);
        services.AddSettings<SessionOptions>(configuration, SessionOptions.Section);
        services.AddSettings<LoginOptions>(configuration, LoginOptions.Section);
        services.AddSettings<AuditOptions>(configuration, AuditOptions.Section);
        services.AddSettings<PrivacyOptions>(configuration, PrivacyOptions.Section);
        services.AddSettings<KeyRotationOptions>(configuration, KeyRotationOptions.Section);

        services.AddSingleton<TokenService>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditSearch>();
        services.AddSingleton<AuditRetention>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<WrongPasswords>();
        services.AddSingleton<IUserSessions>(sp => sp.GetRequiredService<SessionStore>());
        services.AddSingleton<LoginService>();
        services.AddSingleton<PasswordChange>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<ISecurityAlerts, OperationsSecurityAlerts>();
        services.AddSingleton<EncryptionKeyRegistry>();
        services.AddSingleton<KeyRotationService>();
        services.AddSingleton<PiiPurge>();
        services.AddSingleton<LegalHolds>();

        services.AddSingleton(UserColumns.Name);
        services.AddSingleton(UserColumns.Email);
        services.AddSingleton(UserColumns.Mobile);
        services.AddPiiPurgeStep<StaffPersonalDataPurge>();

        services.AddHostedService<EncryptionKeyStartupCheck>();
        services.AddHostedService<KeyRotationResumer>();

        services.AddSingleton<IJobRegistration>(new AuditRetention.Registration());
        services.AddSingleton<IJobRegistration>(new PiiPurge.Registration());
        services.AddSingleton<IJobRegistration>(new SessionCleanupJob.Registration());

        services.AddEndpointModule<AuthEndpoints>();
        services.AddEndpointModule<UsersEndpoints>();
        services.AddEndpointModule<AuditEndpoints>();
        services.AddEndpointModule<LegalHoldEndpoints>();
        return services;
    }
}

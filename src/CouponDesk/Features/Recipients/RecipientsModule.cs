using CouponDesk.Features.Privacy;
using CouponDesk.Hosting;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Recipients;

public static class RecipientsModule
{
    /// <summary>A recipient's phone: bound to its row (list, seq), known before the rows are written (D-SEC-12).</summary>
    public static readonly EncryptedColumn PhoneColumn = new EncryptedColumn("recipient_list_rows", "phone_enc", "list_id", Bound: true, SeqColumn: "seq").Validated();

    /// <summary>A recipient's name: bound like <see cref="PhoneColumn"/>.</summary>
    public static readonly EncryptedColumn NameColumn = new EncryptedColumn("recipient_list_rows", "name_enc", "list_id", Bound: true, SeqColumn: "seq").Validated();

    public static IServiceCollection AddRecipients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RecipientOptions>(configuration, RecipientOptions.Section);
        services.AddSingleton(PhoneColumn);
        services.AddSingleton(NameColumn);
        services.AddSingleton<RecipientListStore>();
        services.AddSingleton<RecipientUploadReader>();
        services.AddEndpointModule<RecipientEndpoints>();
        services.AddPiiPurgeStep<UploadErrorPurge>();
        return services;
    }
}

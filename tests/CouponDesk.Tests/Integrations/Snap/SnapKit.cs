using CouponDesk.Features.Messages;
using CouponDesk.Integrations.Snap;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using MySqlConnector;

namespace CouponDesk.Tests.Integrations.Snap;

/// <summary>
/// The SNAP hand-off services wired as the host wires them (<c>AddSnapMessaging</c>), against a freshly migrated database of
/// the test class's own and a private image directory. Sender number 16000000 is registered.
/// </summary>
public sealed class SnapKit : IAsyncLifetime
{
    public const string Callback = "16000000";

    public TestDatabase Database { get; } = new();

    public string ImageDirectory { get; } = Path.Combine(Path.GetTempPath(), "cd-snap-" + Guid.NewGuid().ToString("N")[..8]);

    public ServiceProvider Services { get; private set; } = null!;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        await Database.MigrateAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Snap:ImageDirectory"] = ImageDirectory,
            ["Snap:AgentImageDirectory"] = "/agent-view/images",
            ["Snap:EnvironmentLetter"] = "T",
            ["Snap:EnvironmentTag"] = "test",
            ["Database:ConnectionString"] = Database.ConnectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Database.Connections);
        services.AddSingleton(new PiiProtector(new PiiOptions
        {
            Keys = new() { ["1"] = TestKeys.EncryptionKeyV1 },
            ActiveKeyVersion = 1,
            BlindIndexKey = TestKeys.BlindIndexKey,
        }));
        services.AddSnapMessaging(configuration);
        Services = services.BuildServiceProvider();

        await using var connection = await Database.OpenAsync();
        await Get<SenderNumberRegistry>().EnsureRegisteredAsync(connection, Callback, "테스트", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(ImageDirectory))
        {
            Directory.Delete(ImageDirectory, recursive: true);
        }
    }

    public Task<string> StageAsync(byte[]? jpeg = null) =>
        Get<SnapImageStager>().StageAsync(jpeg ?? TestJpeg.Create(), CancellationToken.None);

    public async Task<OutgoingMms> MmsAsync(string phone = "010-0000-0001", DateTime? reserveAtUtc = null, long? recipientId = 1) => new()
    {
        Phone = phone,
        CallbackNumber = Callback,
        Title = "[테스트] 모바일 쿠폰 도착",
        Body = "테스트상사에서 보낸 모바일 쿠폰입니다.\n유효기간: 2027.01.24까지",
        ImagePaths = [await StageAsync()],
        ReserveAtUtc = reserveAtUtc,
        CampaignId = 42,
        RecipientId = recipientId,
        CouponId = 5001,
    };

    /// <summary>Queues in a transaction of its own and commits.</summary>
    public async Task<IReadOnlyList<QueuedMms>> QueueAsync(params OutgoingMms[] messages)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var queued = await Get<SnapMessageWriter>().QueueAsync(connection, transaction, messages, CancellationToken.None);
        await transaction.CommitAsync();
        return queued;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task<int> ExecuteAsync(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteAsync(sql, args);
    }

    public async Task<MySqlConnection> OpenAsync() => await Database.OpenAsync();

    private sealed class TestHostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "CouponDesk.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

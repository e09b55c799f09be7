using CouponDesk.Tests.Campaigns;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Settings;

/// <summary>The campaign test host (frozen clock, a product, a sender number) polling the settings every second.</summary>
public sealed class SettingsTestFactory : CampaignTestFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Settings:PollSeconds", "1")];
}

/// <summary>
/// A second back office on the same database: another process as far as settings go (its own options objects, its
/// own poller). Never initialised on its own: the primary host owns and migrates the database.
/// </summary>
public sealed class PeerHost(CouponDeskFactory primary) : CouponDeskFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Database:ConnectionString", primary.Database.ConnectionString), new("Settings:PollSeconds", "1")];
}

using CouponDesk.Features.Alerts;
using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Products;

public static class ProductsSetup
{
    public static IServiceCollection AddProducts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<CatalogOptions>(configuration, CatalogOptions.Section);
        services.AddSingleton<ProductImageStore>();
        services.AddSingleton(sp => new WatchedDirectory("상품 이미지", sp.GetRequiredService<ProductImageStore>().Directory));
        services.AddSingleton<CatalogSync>();
        services.AddSingleton<ProductQueries>();
        services.AddHttpClient(ProductImageStore.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddEndpointModule<ProductEndpoints>();
        services.AddSingleton<IJobRegistration>(new CatalogSyncJobRegistration());
        return services;
    }
}

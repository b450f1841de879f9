namespace SinkIdempotency.Testcontainers;

/// <summary>Names the pinned container images the Docker environment uses unless told otherwise.</summary>
public static class DockerImages
{
    /// <summary>The Apache Kafka image (KRaft), the default broker.</summary>
    public const string ApacheKafka = "apache/kafka:4.1.1";

    /// <summary>The Confluent Platform Kafka image, the same Kafka line as the Connect image.</summary>
    public const string ConfluentKafka = "confluentinc/cp-kafka:7.7.1";

    /// <summary>The Redpanda image.</summary>
    public const string Redpanda = "redpandadata/redpanda:v24.2.4";

    /// <summary>The AutoMQ image, the tag AutoMQ's own single-node compose file (<c>docker/docker-compose.yaml</c>) runs.</summary>
    public const string AutoMQ = "automqinc/automq:1.6.0";

    /// <summary>The MinIO image that serves AutoMQ's object storage, the tag AutoMQ's compose file runs.</summary>
    public const string Minio = "minio/minio:RELEASE.2025-05-24T17-08-30Z";

    /// <summary>The PostgreSQL image of the target.</summary>
    public const string PostgreSql = "postgres:15.8";

    /// <summary>The MySQL image of the <c>mysql</c> target (the 8.4 long-term-support line).</summary>
    public const string MySql = "mysql:8.4.3";

    /// <summary>The Elasticsearch image of the <c>elasticsearch</c> target: the 7.17 line, which the Elasticsearch sink connector 14.x writes to without compatibility headers.</summary>
    public const string Elasticsearch = "docker.elastic.co/elasticsearch/elasticsearch:7.17.25";

    /// <summary>The tag given to the Connect image built from <c>docker/connect/Dockerfile</c>.</summary>
    public const string ConnectBuiltImage = "sinkidempotency/connect:7.7.1-jdbc10.7.6-s3-10.5.17-es14.1.2-mysql8.4.0";

    /// <summary>Returns the pinned default image of a broker flavour.</summary>
    /// <param name="flavour">The flavour.</param>
    /// <returns>The image name with its tag.</returns>
    public static string DefaultKafkaImage(KafkaFlavour flavour) => Vendors.KafkaVendors.For(flavour).DefaultImage;
}

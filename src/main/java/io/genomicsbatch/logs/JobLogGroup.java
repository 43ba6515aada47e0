package io.genomicsbatch.logs;

import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.Map;

/**
 * The CloudWatch log group of this environment's jobs, with a retention: the engine configs send
 * their jobs' logs here instead of to the account-wide {@code /aws/batch/job} group, which keeps
 * logs forever. The hosts' managed ECS policy already allows writing to any group.
 */
public final class JobLogGroup {
    private JobLogGroup() {
    }

    /** "/aws/batch/" + the environment's name prefix, next to Batch's own default group. */
    public static String groupName(String namePrefix) {
        return "/aws/batch/" + namePrefix;
    }

    /**
     * @param retentionDays one of CloudWatch Logs' retention periods; 0 keeps logs forever
     * @param protect       keep the logs from an accidental delete along with the environment
     */
    public record Props(String logicalName, String groupName, int retentionDays, boolean protect,
                        Map<String, String> tags, Resource parent) {
    }

    public static LogGroup create(Props p) {
        return new LogGroup(p.logicalName(), LogGroupArgs.builder()
                .name(p.groupName())
                .retentionInDays(p.retentionDays())
                .tags(p.tags())
                .build(), CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build());
    }
}

import { Group, Stack, Text, Title } from "@mantine/core";

/** Title, an optional description, and actions on the right: every page starts with it. */
export function PageHeader({ title, description, left, right }: { title: string; description?: string; left?: React.ReactNode; right?: React.ReactNode }) {
  return (
    <Stack gap={4} mb="lg">
      <Group justify="space-between" align="flex-end">
        <Group gap="md" align="center">
          {left}
          <Title order={2}>{title}</Title>
        </Group>
        {right}
      </Group>
      {description && <Text c="dimmed" size="sm">{description}</Text>}
    </Stack>
  );
}

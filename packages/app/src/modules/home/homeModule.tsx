import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Paved

Paved is where you find, create and run software at Kestrel Logistics.

- **Find** any service, API or team in the [catalogue](/).
- **Create** a service that starts with a protected repository, CI and a
  catalogue entry from a [golden-path template](/create).
- **Search** everything from the sidebar.

The platform team owns Paved: see its [catalogue entry](/catalog/default/component/paved).
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'What Paved is for and where to start',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});

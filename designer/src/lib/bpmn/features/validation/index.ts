/** didi module: validation markers and badges on the canvas (see ValidationMarkers). */
import ValidationMarkers from './ValidationMarkers';

export default {
  validationMarkers: ['type', ValidationMarkers],
};
